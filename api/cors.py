"""CORS for the public API: anyone may read, only the configured frontend may send credentials.

Published content is public, so partner sites on any origin may read it; a browser never sends
cookies with a `*` answer, so only the listed origins (CORS_ALLOWED_ORIGINS and
CORS_ALLOWED_ORIGIN_REGEXES, matched whole) can make credentialed requests. How django-cors-headers
is made to answer so: cms/internals/corsheaders.py.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from api.ratelimit import RateLimitMiddleware, bucket_for_path
from cms.internals.corsheaders import PublicReadCorsMiddleware


class ApiCorsMiddleware(PublicReadCorsMiddleware):
    """CORS headers on the API's answers, with preflights counted against the rate limit."""

    def refuse_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        # A preflight is answered here, before RateLimitMiddleware: it is counted here instead, on
        # the counter of the view it asks about, so a flood of them is limited like any request
        # (browsers keep a preflight's answer for CORS_PREFLIGHT_MAX_AGE, so frontends send few).
        if not settings.RATE_LIMIT_ENABLED:
            return None
        bucket = bucket_for_path(request.path_info, getattr(request, "urlconf", None))
        return RateLimitMiddleware.check(request, bucket)


def frontend_origin(origin: str) -> bool:
    """Whether `origin` is one of the configured frontends' (CORS_ALLOWED_ORIGINS and its regexes,
    FRONTEND_URL's origin): the only origins a browser may send the API's mutations from."""
    if origin in settings.CORS_ALLOWED_ORIGINS:
        return True
    if any(re.fullmatch(pattern, origin) for pattern in settings.CORS_ALLOWED_ORIGIN_REGEXES):
        return True
    if settings.FRONTEND_URL:
        parts = urlsplit(settings.FRONTEND_URL)
        return origin == f"{parts.scheme}://{parts.netloc}"
    return False
