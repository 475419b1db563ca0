"""Requests that cannot be read as text are refused at the door with a 400, before any view runs.

A path or query string holding NUL (PostgreSQL refuses it in text, the file system in names) or
bytes that are not UTF-8 (stray `%ff`, overlong forms such as `%C0%80`, encoded surrogates such as
`%ED%A0%80`) can only be an attack or a broken client. Django would hand views NUL as it is and
the rest as U+FFFD or re-escaped text; refusing them here keeps every endpoint, present and
future, from meeting them. On /graphql/ the answer is the API's JSON error, on the JSON feed JSON,
elsewhere plain text.
"""

import json
import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import (
    BadRequest,
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import HttpRequest, HttpResponse
from django.views import defaults

logger = logging.getLogger("api.malformed_requests")


def _raw_bytes(text: str) -> bytes:
    # WSGI hands over the raw bytes as latin-1 text; anything else is not from the wire.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _text_problem(raw: bytes, where: str) -> str | None:
    if b"\x00" in raw:
        return f"The {where} contains a NUL byte (%00)."
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return f"The {where} is not valid UTF-8 once percent-decoded (e.g. %ff, %C0%80 or a surrogate)."
    return None


def url_problem(request: HttpRequest) -> str | None:
    """Why the request's path or query string cannot be taken, or None."""
    # Django has decoded the path already and written bytes that are not UTF-8 back as `%XX`;
    # decoding once more finds them (and a `%00` sent as `%2500`: no URL here has a `%` in it).
    path = unquote_to_bytes(request.path_info)
    query = unquote_to_bytes(_raw_bytes(request.META.get("QUERY_STRING", "")))
    return _text_problem(path, "URL path") or _text_problem(query, "query string")


def is_graphql(request: HttpRequest) -> bool:
    return request.path_info.startswith("/graphql")


def refusal(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """The answer to a malformed request: the API's JSON error on /graphql/, `{"error": …}` for a
    `.json` URL (the JSON feed), plain text elsewhere."""
    body: dict[str, object]
    if is_graphql(request):
        body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    elif request.path_info.endswith(".json"):
        body = {"error": message}
    else:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(
        json.dumps(body, separators=(",", ":")), status=status, content_type="application/json"
    )


class MalformedRequestMiddleware:
    """Refuses a path or query string with NUL or bytes that are not UTF-8: 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = url_problem(request)
        if problem is not None:
            logger.info("Malformed request refused: %s", problem)
            return refusal(request, problem)
        return self.get_response(request)


class GraphQLBadRequestMiddleware:
    """A Host this server does not serve, or too many parameters, on /graphql/: the API's JSON 400.

    Django turns these into handler400's answer (JSON here) only with DEBUG off; with DEBUG on, as
    under `make run`, it answers its HTML debug page, which no GraphQL client can read. Run first,
    before any middleware asks for the host or the parameters. Other paths keep Django's answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_graphql(request):
            try:
                request.get_host()
                request.GET  # noqa: B018 (parsed here, where a refusal can still be JSON)
            except (SuspiciousOperation, BadRequest) as exc:
                # Where Django logs them, so the same logging settings apply.
                logging.getLogger(f"django.security.{exc.__class__.__name__}").error(str(exc))
                return refusal(request, _message(exc))
        return self.get_response(request)


# What Django's SuspiciousOperation and BadRequest cases mean to a client, without echoing input.
_MESSAGES = (
    (DisallowedHost, "The Host header names a host this server does not serve."),
    (RequestDataTooBig, "The request body is too large."),
    (TooManyFieldsSent, "The request has too many parameters."),
)


def _message(exception: Exception) -> str:
    return next(
        (text for kind, text in _MESSAGES if isinstance(exception, kind)), "The request is malformed."
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: on /graphql/ the API's JSON error (a disallowed Host, too many fields, …)."""
    if not is_graphql(request):
        return defaults.bad_request(request, exception)
    return refusal(request, _message(exception))
