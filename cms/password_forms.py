"""Password checks that never reach Django's `authenticate()`, throttled like sign-ins.

The admin account page checks the current password with `check_password()`. Axes never hears of
that, so each wrong password there is reported to it as a failed sign-in: it counts against the
client's address (shared with sign-ins) and against the account, and a locked-out client gets the
same lockout page as on the sign-in forms, before any password is compared. Password-reset
requests are counted the same way, each one, since each sends an email. (Wagtail's password forms
for restricted pages and documents are not served at all: cms/urls.py.)
"""

from collections.abc import Callable

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse

from cms.login_throttle import lockout_response

ACCOUNT_VIEW = "wagtailadmin_account"
RESET_REQUEST_VIEW = "wagtailadmin_password_reset"


def _record_failure(request: HttpRequest, credentials: dict) -> None:
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


class PasswordFormThrottleMiddleware:
    """Counts wrong current passwords on the account page and every password-reset request, and
    refuses locked-out clients before the password is compared."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        name = request.resolver_match.url_name
        if name == ACCOUNT_VIEW:
            return self._check_current_password(request)
        elif name == RESET_REQUEST_VIEW:
            return self._count_reset_request(request)
        return None

    @staticmethod
    def _count_reset_request(request: HttpRequest) -> HttpResponse | None:
        # Every request counts, so nobody can flood an address with reset emails; the limit is
        # the sign-in limit, per client address and per email address.
        email = request.POST.get("email", "").strip().lower()
        credentials = {"username": f"password-reset:{email}"}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, None, credentials)
        _record_failure(request, credentials)
        if request.axes_locked_out:
            return lockout_response(request, None, credentials)
        return None

    @staticmethod
    def _check_current_password(request: HttpRequest) -> HttpResponse | None:
        user = request.user
        # The account page checks the current password only when a new one is typed.
        changing = request.POST.get("password-new_password1") or request.POST.get("password-new_password2")
        if not changing or not user.is_authenticated:
            return None
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, None, credentials)
        if not user.check_password(request.POST.get("password-old_password", "")):
            # AxesMiddleware answers with the lockout page if this failure reached the limit.
            _record_failure(request, credentials)
        return None
