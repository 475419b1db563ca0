"""Whether a signed-in admin user still owes the second factor (ADMIN_2FA; cms/two_factor.py).

Apart from the middleware so the rate limiter can ask it: it needs neither models nor wagtail-2fa,
and the server's front imports the rate limiter before Django's apps are loaded.
"""

from typing import Any

import django_otp
from django.conf import settings


def second_factor_pending(user: Any) -> bool:
    """Whether `user` signed in with a password but still owes the code wagtail-2fa asks them for:
    such a session is not yet an admin's, and gets nothing staff get (the rate limit's exemption)."""
    if settings.ADMIN_2FA == "off" or not hasattr(user, "is_verified") or user.is_verified():
        return False
    if settings.ADMIN_2FA == "required":
        return True
    return bool(django_otp.user_has_device(user, confirmed=True) or user.has_perm("wagtailadmin.enable_2fa"))
