"""Rate limiting of anonymous traffic, per client address, in a fixed window kept in the state cache;
and of trusted frontends, per API key (api/api_keys.py), on a counter of their own or none.

What is counted is decided by the view a request resolves to, never by how its path is spelled
(`/graphql` or `/graphql/`, a SCRIPT_NAME prefix, percent-encoding): every public view is counted,
the API's on one counter and the rest of the site's on another; health probes and the admin are
not. Requests that resolve to no view at all (Wagtail's redirects, 404s) count with the site.

Counters live in the "state" cache (api/cache.py), apart from cached answers, so filling the cache
cannot evict them. With Redis every worker shares them; otherwise each process counts for itself
(local memory), which still stops a single hostile client but is per worker.

A request with a valid key is counted on the key's counter (or not at all), never against its
address: a frontend's server sends its build and every visitor's render from that one address. A
key that is not valid is answered 401, after the request was counted against its address, so
guessing keys costs rate limit like any other request.
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
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from api import api_keys
from api.cache import STATE, event_loop_cache, raw_async_redis_client, raw_redis_client, state_cache
from api.resource_policy import CROSS_ORIGIN
from cms.request_id import make_request_id
from cms.second_factor import second_factor_pending

logger = logging.getLogger("api.ratelimit")

# The two counters a client has per window.
API = "api"
SITE = "site"
# The one counter of an API key that has a limit, whatever the view (API or site).
KEY = "key"

# The views frontends and partner sites call, however a route to them is spelled: the API counter.
API_VIEWS = (
    "api.graphql.view.graphql_view",
    "news.feeds.rss_feed",
    "news.feeds.atom_feed",
    "news.feeds.json_feed",
    "news.embed.news_iframe",
    "news.embed.news_widget_js",
    "events.calendar.events_feed",
    "events.calendar.event_ical",
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
    return _count(name, _bucket_key(address), amount)


def count_for_key(frontend: api_keys.TrustedFrontend, amount: int = 1) -> tuple[int, int]:
    """count_in_window() for an API key: its own counter, apart from every address's."""
    return _count(f"ratelimit:{KEY}", frontend.digest, amount)


def _window_key(name: str, counted: str) -> tuple[str, int, int]:
    """The counter's cache key in the current window, the window's length, and seconds until it ends."""
    window = settings.RATE_LIMIT_WINDOW
    now = time.time()
    window_index = int(now // window)
    retry_after = max(1, math.ceil((window_index + 1) * window - now))
    return f"{name}:{window}:{window_index}:{counted}", window, retry_after


def _count(name: str, counted: str, amount: int) -> tuple[int, int]:
    key, window, retry_after = _window_key(name, counted)
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


async def acount_request(address: str, bucket: str = API) -> tuple[int, int] | None:
    """count_request() from the server's event loop (api/graphql/fast_path.py), on the same counter
    through an asyncio client; None when the state cache is not Redis (the caller lets Django count)."""
    backend = event_loop_cache(STATE)
    client = raw_async_redis_client(backend)
    if client is None:
        return None
    key, window, retry_after = _window_key(f"ratelimit:{bucket}", _bucket_key(address))
    full_key = backend.make_and_validate_key(key)
    pipeline = client.pipeline(transaction=False)
    pipeline.incrby(full_key, 1)
    pipeline.expire(full_key, window + 1, nx=True)
    count, _ = await pipeline.execute()
    return int(count), retry_after


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
    frontend = api_keys.verified(request.META)
    if extra <= 0 or (frontend is not None and frontend.rate_limit is None):
        return
    try:
        if frontend is not None:
            count_for_key(frontend, amount=extra)
        else:
            count_in_window(f"ratelimit:{API}", client_address(request), amount=extra)
    except Exception:  # as for counting itself: an outage costs the limit, never the answer
        logger.exception("Rate limiting skipped: the cache is unavailable.")


# A client over its limit stays over it until its window ends (a count only grows within a window),
# so each process remembers that and refuses the client's further requests without a cache round
# trip, and the server's front without handing them to a thread at all (`refuse_known_over_limit`):
# a flood over the limit costs less than any answer worth having. Bounded; emptied when full.
# Keys over their own limit are remembered the same way, by digest (the front can hash the key it is
# sent, but cannot look it up), with the limit the 429 states.
_over_limit: dict[tuple[str, str], tuple[float, int]] = {}
_OVER_LIMIT_MAX = 10_000


def remember_over_limit(address: str, bucket: str, retry_after: int) -> None:
    _remember(_bucket_key(address), bucket, retry_after, settings.RATE_LIMIT_REQUESTS)


def over_limit_for(address: str, bucket: str) -> int | None:
    """Seconds until `address` may use `bucket` again, if this process knows it is over the limit."""
    known = _known_over_limit(_bucket_key(address), bucket)
    return known[0] if known is not None else None


def _remember(client: str, bucket: str, retry_after: int, limit: int) -> None:
    if len(_over_limit) >= _OVER_LIMIT_MAX:
        now = time.time()
        for key in [key for key, (until, _limit) in list(_over_limit.items()) if until <= now]:
            _over_limit.pop(key, None)
        if len(_over_limit) >= _OVER_LIMIT_MAX:
            _over_limit.clear()
    _over_limit[(client, bucket)] = (time.time() + retry_after, limit)


def _known_over_limit(client: str, bucket: str) -> tuple[int, int] | None:
    """(seconds left, the limit) while this process knows `client` is over its limit on `bucket`."""
    if not _over_limit:
        return None
    key = (client, bucket)
    known = _over_limit.get(key)
    if known is None:
        return None
    until, limit = known
    left = until - time.time()
    if left <= 0:
        _over_limit.pop(key, None)
        return None
    return max(1, math.ceil(left)), limit


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
    frontend origin allowed credentials (django-cors-headers answers those), or no known excess.

    A request sending an API key is judged by what is known of that key alone, never by what its
    address did; a key this process knows nothing about (valid or not) is Django's to answer."""
    if not _over_limit or not settings.RATE_LIMIT_ENABLED or environ.get("REQUEST_METHOD") == "OPTIONS":
        return None
    if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
        return None
    path = environ.get("PATH_INFO", "")
    bucket = bucket_for_path(path)
    if bucket is None:
        return None
    key = api_keys.presented_key(environ)
    if key is not None:
        known = _known_over_limit(api_keys.digest_of(key), KEY)
    else:
        known = _known_over_limit(_bucket_key(address_from_meta(environ)), bucket)
    if known is None:
        return None
    retry_after, limit = known
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
    body = _too_many_body(limit, settings.RATE_LIMIT_WINDOW, retry_after)
    return 429, headers, body


def too_many_requests(limit: int, window: int, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _too_many_body(limit, window, retry_after), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answers 429 once an anonymous client has made RATE_LIMIT_REQUESTS in the current window, or a
    trusted frontend its key's own limit; and 401 to a request whose API key is not valid.

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
        if not request.META.get(SEEN) and self.applies(request):
            bucket = bucket_for_path(request.path_info, getattr(request, "urlconf", None))
            response = self.check(request, bucket) or response
        if api_keys.verified(request.META) is not None:
            # The bytes are the public answer's, but what a key fetched is its holder's alone: no
            # shared cache (the tier, a CDN) may keep it, whatever the view said.
            patch_cache_control(response, private=True)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        request.META[SEEN] = True
        if not self.applies(request):
            return None
        match = request.resolver_match
        return self.check(request, bucket_for(view_func, match.route if match else "", request.path_info))

    @staticmethod
    def applies(request: HttpRequest) -> bool:
        # An API key is checked with rate limiting off too: a mistyped key is answered, not ignored.
        return settings.RATE_LIMIT_ENABLED or api_keys.presented_key(request.META) is not None

    @staticmethod
    def check(request: HttpRequest, bucket: str | None) -> HttpResponse | None:
        """Count the request on `bucket` for its address, or on its API key's own counter: the answer
        to send instead of the view's (429; 401 for a key that is not valid), else None."""
        if bucket is None:
            return None
        key = api_keys.presented_key(request.META)
        if key is None:
            return _check_address(request, bucket)
        frontend = api_keys.verify(key)
        if frontend is None:
            return _check_address(request, bucket) or api_keys.invalid_key_response()
        request.META[api_keys.VERIFIED] = frontend
        if _is_staff(request):
            return None
        return _check_key(frontend)


def _check_address(request: HttpRequest, bucket: str) -> HttpResponse | None:
    if not settings.RATE_LIMIT_ENABLED or _is_staff(request):
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


def _check_key(frontend: api_keys.TrustedFrontend) -> HttpResponse | None:
    limit, window = frontend.rate_limit, settings.RATE_LIMIT_WINDOW
    if limit is None or not settings.RATE_LIMIT_ENABLED:
        return None  # not even counted: a key without a limit costs no round trip
    known = _known_over_limit(frontend.digest, KEY)
    if known is not None:
        return too_many_requests(limit, window, known[0])
    try:
        count, retry_after = count_for_key(frontend)
    except Exception:
        logger.exception("Rate limiting skipped: the cache is unavailable.")
        return None
    if count > limit:
        _remember(frontend.digest, KEY, retry_after, limit)
        return too_many_requests(limit, window, retry_after)
    return None
