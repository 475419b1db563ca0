"""Cross-Origin-Resource-Policy: what partner sites and the frontend load from other origins is
`cross-origin`; everything else, the admin first, is `same-origin`."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Cross-Origin-Resource-Policy"
# The API, the partner feeds and embed, image renditions and documents: read from other origins
# (the frontend, partner pages, feed readers in a browser, <img> and <a> on the public site).
CROSS_ORIGIN = re.compile(r"/(?:graphql/?$|feeds/|embed/|media/|documents/)")


class CrossOriginResourcePolicyMiddleware:
    """Sets the header on every response that has none, by path (without any SCRIPT_NAME prefix)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = "cross-origin" if CROSS_ORIGIN.match(request.path_info) else "same-origin"
        return response
