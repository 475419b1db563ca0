"""django-cors-headers' CorsMiddleware, extended where its settings and its signal cannot reach.

The API answers `*` (no credentials) to any origin, and echoes, with credentials, only the origins
configured. The settings give every origin one answer or the other (CORS_ALLOW_ALL_ORIGINS, or the
listed origins), and `check_request_enabled`, the signal for per-request decisions, lets an origin
in *with* credentials when CORS_ALLOW_CREDENTIALS is on. So the subclass below overrides methods
of CorsMiddleware that are not documented as hooks, relying on:

- `__call__` running `check_preflight(request)` before the view (a response from it answers the
  request instead of the view) and `add_response_headers(request, response)` after either;
- `add_response_headers` leaving out access-control-allow-origin for an origin it does not allow;
- `origin_found_in_white_lists` matching CORS_ALLOWED_ORIGIN_REGEXES through
  `regex_domain_match(origin)`, which uses `re.match`: anchored at the start only;
- `is_enabled(request)` saying whether the URL has CORS at all (CORS_URLS_REGEX, or the signal);
- `corsheaders.conf.conf`, the settings with the library's defaults.

tests/internals/test_corsheaders.py fails when an upgrade changes any of these.
"""

import re

from corsheaders.conf import conf
from corsheaders.middleware import (
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
    CorsMiddleware,
)
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class PublicReadCorsMiddleware(CorsMiddleware):
    """CorsMiddleware that answers `*` to the origins it does not list, and matches
    CORS_ALLOWED_ORIGIN_REGEXES whole, whatever the configured pattern says."""

    def refuse_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        """The answer to send a preflight instead of its empty 200 (it still gets CORS headers)."""
        return None

    def check_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        response = super().check_preflight(request)
        if response is not None:
            response = self.refuse_preflight(request) or response
        return response

    def regex_domain_match(self, origin: str) -> bool:
        return any(re.fullmatch(pattern, origin) for pattern in conf.CORS_ALLOWED_ORIGIN_REGEXES)

    def add_response_headers(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().add_response_headers(request, response)
        if ACCESS_CONTROL_ALLOW_ORIGIN in response or not request.headers.get("origin"):
            return response
        if not self.is_enabled(request):
            return response
        response[ACCESS_CONTROL_ALLOW_ORIGIN] = "*"
        # As for the listed origins: a partner's script may read the ETag, the request id to quote
        # and how long to wait after a 429, none of which a browser shows it unless named here.
        if conf.CORS_EXPOSE_HEADERS:
            response[ACCESS_CONTROL_EXPOSE_HEADERS] = ", ".join(conf.CORS_EXPOSE_HEADERS)
        if request.method == "OPTIONS":
            response[ACCESS_CONTROL_ALLOW_HEADERS] = ", ".join(conf.CORS_ALLOW_HEADERS)
            response[ACCESS_CONTROL_ALLOW_METHODS] = ", ".join(conf.CORS_ALLOW_METHODS)
            if conf.CORS_PREFLIGHT_MAX_AGE:
                response[ACCESS_CONTROL_MAX_AGE] = str(conf.CORS_PREFLIGHT_MAX_AGE)
        return response
