"""Rate limiting of anonymous traffic, per client address, in a fixed window kept in the state cache.

What is counted is decided by the view a request resolves to, never by how its path is spelled
(`/graphql` or `/graphql/`, a SCRIPT_NAME prefix, percent-encoding): every public view is counted,
the API's on one counter and the rest of the site's on another; health probes and the admin are
not. Requests that resolve to no view at all (Wagtail's redirects, 404s) count with the site.

Counters live in the "state" cache (api/cache.py), apart from cached answers, so filling the cache
cannot evict them. With Redis every worker shares them; otherwise each process counts for itself
(local memory), which still stops a single hostile client but is per worker.
"""

import functools
import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from api.cache import raw_redis_client, state_cache
from api.resource_policy import CROSS_ORIGIN
from cms.request_id import make_request_id
from cms.second_factor import second_factor_pending

logger = logging.getLogger("api.ratelimit")

# The two counters a client has per window.
API = "api"
SITE = "site"

# The views frontends and partner sites call, however a route to them is spelled: the API counter.
API_VIEWS = (
    "api.graphql.view.graphql_view",
    "news.feeds.rss_feed",
    "news.feeds.atom_feed",
    "news.feeds.json_feed",
    "news.embed.news_iframe",
    "news.embed.news_widget_js",
)
# Never counted: health probes, and the admin (its users are staff; its sign-in is throttled on
# its own). Every other view (renditions, documents, Wagtail's pages and their redirects, views
# added later) is counted on the site counter.
EXEMPT_VIEWS = ("api.views.healthz", "api.views.readyz")
EXEMPT_ROUTES = ("admin/",)

# Set in request.META (the WSGI environ, where middleware mark a request) once a view's request was
# counted, so the request is not counted again when its answer comes back.
SEEN = "psg.rate_limit_seen"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_warned_untrusted_forwarding = False


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.error("TRUSTED_PROXIES: %r is not an IP address or network; ignored.", entry)
    return tuple(networks)


def _parse_ip(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: IPAddress | None, networks: tuple[IPNetwork, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address to count a request against.

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most X-Forwarded-For entry that is
    not itself a trusted proxy (entries left of it were written by the client and prove nothing).
    """
    return address_from_meta(request.META)


def address_from_meta(meta: Mapping[str, Any]) -> str:
    """client_address() of a request's META, or of a WSGI environ (api/graphql/fast_path.py)."""
    global _warned_untrusted_forwarding
    remote: str = meta.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    forwarded: str = meta.get("HTTP_X_FORWARDED_FOR", "")
    if not _is_trusted(_parse_ip(remote), networks):
        if forwarded and not _warned_untrusted_forwarding:
            _warned_untrusted_forwarding = True
            logger.warning(
                "X-Forwarded-For from %s is ignored: it is not in TRUSTED_PROXIES. If it is your "
                "proxy, add it, or every client is counted as that one address.",
                remote,
            )
        return remote
    for entry in reversed(forwarded.split(",")):
        address = _parse_ip(entry)
        if address is None:
            # Not what a proxy writes: count the request against the proxy rather than guess.
            return remote
        if not _is_trusted(address, networks):
            return str(address)
    return remote


def _bucket_key(address: str) -> str:
    ip = _parse_ip(address)
    if ip is None:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        # One IPv6 client usually holds a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _is_staff(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in; not touching the session keeps `Vary: Cookie`
    # off public answers, so shared caches can keep them.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    try:
        if not (user is not None and user.is_authenticated and user.is_staff):
            return False
        return not second_factor_pending(user)
    except DatabaseError:
        # The session store is down: treat the request as anonymous; the view reports the outage.
        return False


def count_request(address: str, bucket: str = API) -> tuple[int, int]:
    """Count one request from `address` on its `bucket` counter in the current fixed window, shared
    by every process through the state cache: (requests so far in the window, seconds until it ends)."""
    return count_in_window(f"ratelimit:{bucket}", address)


def count_in_window(name: str, address: str, amount: int = 1) -> tuple[int, int]:
    """Add `amount` to the counter `name` of `address` for the current RATE_LIMIT_WINDOW:
    (its total so far in the window, seconds until the window ends)."""
    window = settings.RATE_LIMIT_WINDOW
    now = time.time()
    window_index = int(now // window)
    key = f"{name}:{window}:{window_index}:{_bucket_key(address)}"
    retry_after = max(1, math.ceil((window_index + 1) * window - now))
    backend = state_cache()
    client = raw_redis_client(backend)
    if client is not None:
        # One round trip: INCRBY creates the counter (a plain Redis integer, as Django's cache
        # stores ints), EXPIRE NX gives a new one its lifetime without extending an old one.
        full_key = backend.make_and_validate_key(key)
        pipeline = client.pipeline(transaction=False)
        pipeline.incrby(full_key, amount)
        pipeline.expire(full_key, window + 1, nx=True)
        count, _ = pipeline.execute()
        return int(count), retry_after
    # add() is a no-op when the key exists; incr() is locked in local memory.
    backend.add(key, 0, timeout=window + 1)
    try:
        count = backend.incr(key, amount)
    except ValueError:
        # Culled between add() and incr(): start again.
        backend.add(key, amount, timeout=window + 1)
        count = amount
    return count, retry_after


@functools.cache
def _views(dotted_paths: tuple[str, ...]) -> frozenset[Callable[..., Any]]:
    return frozenset(import_string(path) for path in dotted_paths)


def bucket_for(view_func: Callable[..., Any] | None, route: str, path_info: str) -> str | None:
    """The counter a request to `view_func` (None: no view resolved) counts on, or None if none.

    `route` is the matched URL pattern (`request.resolver_match.route`), not the request's path.
    """
    if settings.RATE_LIMIT_PATHS and path_info.startswith(tuple(settings.RATE_LIMIT_PATHS)):
        return API  # deprecated, honoured: extra prefixes counted with the API
    if view_func is None:
        return SITE
    if view_func in _views(API_VIEWS):
        return API
    if view_func in _views(EXEMPT_VIEWS) or (route or "").startswith(EXEMPT_ROUTES):
        return None
    return SITE


def bucket_for_path(path_info: str, urlconf: str | None = None) -> str | None:
    """bucket_for() the view `path_info` resolves to; static files are never counted."""
    static_url = settings.STATIC_URL or ""
    if static_url.startswith("/") and path_info.startswith(static_url):
        return None
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return bucket_for(None, "", path_info)
    return bucket_for(match.func, match.route, path_info)


def charge_for_cpu(request: HttpRequest, cpu_seconds: float) -> None:
    """Count a costly API answer as more requests: one more per RATE_LIMIT_CPU_MS_PER_REQUEST of
    CPU it took beyond the first share (the request itself was counted already).

    Without it the limit bounds requests, not work: ten aliased listings of fifty items cost
    seconds each, and 300 of them a minute kept several cores busy for one client.
    """
    share = settings.RATE_LIMIT_CPU_MS_PER_REQUEST / 1000
    if not settings.RATE_LIMIT_ENABLED or share <= 0 or _is_staff(request):
        return
    extra = int(cpu_seconds / share)
    if extra <= 0:
        return
    try:
        count_in_window(f"ratelimit:{API}", client_address(request), amount=extra)
    except Exception:  # as for counting itself: an outage costs the limit, never the answer
        logger.exception("Rate limiting skipped: the cache is unavailable.")


# A client over its limit stays over it until its window ends (a count only grows within a window),
# so each process remembers that and refuses the client's further requests without a cache round
# trip, and the server's front without handing them to a thread at all (`refuse_known_over_limit`):
# a flood over the limit costs less than any answer worth having. Bounded; emptied when full.
_over_limit: dict[tuple[str, str], float] = {}
_OVER_LIMIT_MAX = 10_000


def remember_over_limit(address: str, bucket: str, retry_after: int) -> None:
    if len(_over_limit) >= _OVER_LIMIT_MAX:
        now = time.time()
        for key in [key for key, until in list(_over_limit.items()) if until <= now]:
            _over_limit.pop(key, None)
        if len(_over_limit) >= _OVER_LIMIT_MAX:
            _over_limit.clear()
    _over_limit[(_bucket_key(address), bucket)] = time.time() + retry_after


def over_limit_for(address: str, bucket: str) -> int | None:
    """Seconds until `address` may use `bucket` again, if this process knows it is over the limit."""
    if not _over_limit:
        return None
    key = (_bucket_key(address), bucket)
    until = _over_limit.get(key)
    if until is None:
        return None
    left = until - time.time()
    if left <= 0:
        _over_limit.pop(key, None)
        return None
    return max(1, math.ceil(left))


def forget_over_limit() -> None:
    _over_limit.clear()


def _too_many_body(limit: int, window: int, retry_after: int) -> bytes:
    body = {
        "errors": [
            {
                "message": (
                    f"Too many requests: at most {limit} every {window} seconds. "
                    f"Try again in {retry_after} seconds."
                ),
                "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
            }
        ]
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _credentialed_origin(origin: str) -> bool:
    return origin in settings.CORS_ALLOWED_ORIGINS or any(
        re.fullmatch(pattern, origin) for pattern in settings.CORS_ALLOWED_ORIGIN_REGEXES
    )


def refuse_known_over_limit(environ: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The 429 (status, headers, body) for a request from a client this process already knows to be
    over its limit, from the request line and headers alone (`cms/asgi_front.py` asks before it
    reads the body); None when Django should decide: a session (staff are exempt), a preflight, a
    frontend origin allowed credentials (django-cors-headers answers those), or no known excess."""
    if not _over_limit or not settings.RATE_LIMIT_ENABLED or environ.get("REQUEST_METHOD") == "OPTIONS":
        return None
    if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
        return None
    path = environ.get("PATH_INFO", "")
    bucket = bucket_for_path(path)
    if bucket is None:
        return None
    retry_after = over_limit_for(address_from_meta(environ), bucket)
    if retry_after is None:
        return None
    headers = [
        ("Content-Type", "application/json"),
        ("Retry-After", str(retry_after)),
        ("X-Request-ID", make_request_id(environ.get("HTTP_X_REQUEST_ID", ""))),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Resource-Policy", "cross-origin" if CROSS_ORIGIN.match(path) else "same-origin"),
    ]
    origin = environ.get("HTTP_ORIGIN")
    if origin and bucket == API:
        if _credentialed_origin(origin):
            return None
        # As api/cors.py answers any other origin: readable, never with credentials.
        headers += [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", ", ".join(settings.CORS_EXPOSE_HEADERS)),
            ("Vary", "origin"),
        ]
    body = _too_many_body(settings.RATE_LIMIT_REQUESTS, settings.RATE_LIMIT_WINDOW, retry_after)
    return 429, headers, body


def too_many_requests(limit: int, window: int, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _too_many_body(limit, window, retry_after), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answers 429 once an anonymous client has made RATE_LIMIT_REQUESTS in the current window.

    A request that resolves to a view is checked in `process_view`, after the session and auth
    middleware have run, so staff signed in to the admin are recognised, and before the view runs.
    One that reaches no view (no route matched: Wagtail's redirects, 404s; or a middleware answered
    first) is counted once it has been answered, and over the limit gets the 429 instead. The class
    sits right after CorsMiddleware in MIDDLEWARE so the 429 still carries CORS headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        if settings.RATE_LIMIT_PATHS:
            logger.warning(
                "RATE_LIMIT_PATHS is deprecated: every public view is rate-limited whatever its path. "
                "Its prefixes are still counted with the API; remove it when they are not needed."
            )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.META.get(SEEN) or not settings.RATE_LIMIT_ENABLED:
            return response
        bucket = bucket_for_path(request.path_info, getattr(request, "urlconf", None))
        return self.check(request, bucket) or response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        request.META[SEEN] = True
        if not settings.RATE_LIMIT_ENABLED:
            return None
        match = request.resolver_match
        return self.check(request, bucket_for(view_func, match.route if match else "", request.path_info))

    @staticmethod
    def check(request: HttpRequest, bucket: str | None) -> HttpResponse | None:
        """Count the request on `bucket`: the 429 to send if it is over the limit, else None."""
        if bucket is None or _is_staff(request):
            return None
        limit, window = settings.RATE_LIMIT_REQUESTS, settings.RATE_LIMIT_WINDOW
        address = client_address(request)
        known = over_limit_for(address, bucket)
        if known is not None:
            return too_many_requests(limit, window, known)
        try:
            count, retry_after = count_request(address, bucket)
        except Exception:  # a cache outage must not take the API down with it
            logger.exception("Rate limiting skipped: the cache is unavailable.")
            return None
        if count > limit:
            remember_over_limit(address, bucket, retry_after)
            return too_many_requests(limit, window, retry_after)
        return None
