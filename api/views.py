"""HTTP endpoints of the project itself, besides GraphQL."""

import json
import logging
import sys
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from api.graphql.view import GraphQLHTTPView, service_unavailable_response
from api.malformed_requests import is_graphql

logger = logging.getLogger("cms.health")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up (no dependencies checked)."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key, token = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, timeout=10)
    try:
        if cache.get(key) != token:
            raise RuntimeError("The cache did not return the value just stored.")
    finally:
        cache.delete(key)


READINESS_CHECKS: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers and the cache stores. 503 names what failed, nothing more."""
    checks: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Readiness check failed: %s", name)
            checks[name] = "error"
        else:
            checks[name] = "ok"
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def server_error(request: HttpRequest) -> HttpResponseBase:
    """handler500: /graphql/ answers JSON without internals (503 when the database is down).

    This catches what the view and its middleware cannot, e.g. an exception in another
    middleware; the admin keeps Django's own error page.
    """
    # By path_info (without a SCRIPT_NAME prefix), and `/graphql` without its slash too.
    if not is_graphql(request):
        return defaults.server_error(request)
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return service_unavailable_response(request)
    request_id = GraphQLHTTPView.request_id(request)
    body = {
        "errors": [
            {
                "message": "Internal server error.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ]
    }
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")), status=500, content_type="application/json"
    )
    response["X-Request-ID"] = request_id
    return response
