"""HTTP behaviour shared by the CMS's public, read-only endpoints beside GraphQL (calendars): GET and
HEAD only, and public caching with an ETag, as the news feeds have."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

View = Callable[..., HttpResponseBase]
READ_METHODS = ("GET", "HEAD")

# An ETag (and Last-Modified when set) on GET answers, and 304 for If-None-Match / If-Modified-Since.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_caching(view: View) -> View:
    """`Cache-Control: public, max-age=GRAPHQL_CACHE_MAX_AGE`, an ETag, and 304 for If-None-Match.

    The HTTP cache tier forgets these answers on every content change (apps register their paths
    with api.edge_cache.register_purged_paths), so the max-age bounds only browsers' copies.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
        return response

    wrapped_view: View = conditional_get(wrapped)
    return wrapped_view


def read_only(view: View) -> View:
    """GET and HEAD only; any other method is a plain-text 405 with `Allow`. Exempt from CSRF:
    nothing here changes state, and a POST deserves the 405, not the CSRF check's HTML 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            response = HttpResponse(
                "Only GET and HEAD are served here.", status=405, content_type="text/plain; charset=utf-8"
            )
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        return view(request, *args, **kwargs)

    exempt: View = csrf_exempt(wrapped)
    return exempt
