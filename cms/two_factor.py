"""Two-factor sign-in to the admin (wagtail-2fa, TOTP devices from django-otp), when ADMIN_2FA is on.

wagtail-2fa's middleware reads the session on every request. Without a session cookie nobody is
signed in, so these subclasses leave such requests alone: public API answers keep no
`Vary: Cookie` and stay cacheable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from wagtail_2fa.middleware import VerifyUserMiddleware, VerifyUserPermissionsMiddleware


class _SignedInRequestsOnly:
    get_response: Callable[[HttpRequest], HttpResponse]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        return super().__call__(request)


class RequiredTwoFactorMiddleware(_SignedInRequestsOnly, VerifyUserMiddleware):
    """ADMIN_2FA=required: every admin user sets up a device and enters a code after the password."""


class OptionalTwoFactorMiddleware(_SignedInRequestsOnly, VerifyUserPermissionsMiddleware):
    """ADMIN_2FA=optional: users who have set up a device enter a code after the password; members of a
    group with the "Enable 2FA" permission must set one up."""
