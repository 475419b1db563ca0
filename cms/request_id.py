"""One id per request: taken from a safe `X-Request-ID` header or made up, logged and sent back.

The id lives in a context variable for the length of the request, so every log line written while
handling it carries it (`cms.logging.RequestIdFilter`), and on `request.request_id`, which the
GraphQL view reuses for `extensions.requestId`.
"""

import contextvars
import re
import uuid

HEADER = "X-Request-ID"
# What a client (or the proxy in front) may choose; anything else is replaced, never echoed.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

_current = contextvars.ContextVar("request_id", default=None)


def get_request_id():
    """The id of the request being handled in this context, or None outside a request."""
    return _current.get()


def make_request_id(given=""):
    return given if given and SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later middleware, view and log line sees the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = make_request_id(request.headers.get(HEADER, ""))
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response
