"""CORS for the public API: anyone may read, only the configured frontend may send credentials."""

import re

from corsheaders.conf import conf
from corsheaders.middleware import (
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE,
    CorsMiddleware,
)
from django.conf import settings

from api.ratelimit import RateLimitMiddleware, bucket_for_path


class ApiCorsMiddleware(CorsMiddleware):
    """django-cors-headers for CORS_ALLOWED_ORIGINS (with credentials); `*` without them for the rest.

    Published content is public, so partner sites on any origin may read it; a browser never sends
    cookies with a `*` answer, so only the listed origins can make credentialed requests.
    """

    def check_preflight(self, request):
        # A preflight is answered here, before RateLimitMiddleware: it is counted here instead, on
        # the counter of the view it asks about, so a flood of them is limited like any request
        # (browsers keep a preflight's answer for CORS_PREFLIGHT_MAX_AGE, so frontends send few).
        response = super().check_preflight(request)
        if response is not None and settings.RATE_LIMIT_ENABLED:
            bucket = bucket_for_path(request.path_info, getattr(request, "urlconf", None))
            response = RateLimitMiddleware.check(request, bucket) or response
        return response

    def regex_domain_match(self, origin):
        # Anchored at both ends, whatever the configured pattern says.
        return any(re.fullmatch(pattern, origin) for pattern in conf.CORS_ALLOWED_ORIGIN_REGEXES)

    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        enabled = getattr(request, "_cors_enabled", False)
        if enabled and request.headers.get("origin") and ACCESS_CONTROL_ALLOW_ORIGIN not in response:
            response[ACCESS_CONTROL_ALLOW_ORIGIN] = "*"
            if request.method == "OPTIONS":
                response[ACCESS_CONTROL_ALLOW_HEADERS] = ", ".join(conf.CORS_ALLOW_HEADERS)
                response[ACCESS_CONTROL_ALLOW_METHODS] = ", ".join(conf.CORS_ALLOW_METHODS)
                response[ACCESS_CONTROL_MAX_AGE] = str(conf.CORS_PREFLIGHT_MAX_AGE)
        return response
