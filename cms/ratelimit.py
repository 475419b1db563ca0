"""Rate limiting of anonymous API traffic, per client address, in a fixed window kept in the cache.

With REDIS_URL set the counters live in Redis and every worker shares them; otherwise each process
counts for itself (local memory), which still stops a single hostile client but is per worker.
"""

import functools
import ipaddress
import json
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse

logger = logging.getLogger("cms.ratelimit")

_warned_untrusted_forwarding = False


@functools.lru_cache(maxsize=8)
def _networks(entries):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.error("TRUSTED_PROXIES: %r is not an IP address or network; ignored.", entry)
    return tuple(networks)


def _parse_ip(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The address to count a request against.

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most X-Forwarded-For entry that is
    not itself a trusted proxy (entries left of it were written by the client and prove nothing).
    """
    global _warned_untrusted_forwarding
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
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


def _bucket_key(address):
    ip = _parse_ip(address)
    if ip is None:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        # One IPv6 client usually holds a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _is_staff(request):
    # Without a session cookie nobody is signed in; not touching the session keeps `Vary: Cookie`
    # off public answers, so shared caches can keep them.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated and user.is_staff)
    except DatabaseError:
        # The session store is down: treat the request as anonymous; the view reports the outage.
        return False


def count_request(address):
    """Count one request from `address` in the current fixed window, shared by every process
    through the cache: (requests so far in the window, seconds until it ends)."""
    window = settings.RATE_LIMIT_WINDOW
    now = time.time()
    window_index = int(now // window)
    key = f"ratelimit:{window}:{window_index}:{_bucket_key(address)}"
    retry_after = max(1, math.ceil((window_index + 1) * window - now))
    client = _redis_client()
    if client is not None:
        # One round trip: INCR creates the counter (a plain Redis integer, as Django's cache
        # stores ints), EXPIRE NX gives a new one its lifetime without extending an old one.
        full_key = cache.make_and_validate_key(key)
        pipeline = client.pipeline(transaction=False)
        count, _ = pipeline.incr(full_key).expire(full_key, window + 1, nx=True).execute()
        return count, retry_after
    # add() is a no-op when the key exists; incr() is locked in local memory.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between add() and incr(): start again.
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count, retry_after


def _redis_client():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None


def too_many_requests(limit, window, retry_after):
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
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answers 429 once an anonymous client has made RATE_LIMIT_REQUESTS in the current window.

    The check runs in `process_view`, after the session and auth middleware have run, so staff
    signed in to the admin are recognised; the class sits right after CorsMiddleware in
    MIDDLEWARE so the 429 still carries CORS headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.RATE_LIMIT_ENABLED:
            return None
        if not request.path.startswith(tuple(settings.RATE_LIMIT_PATHS)):
            return None
        if _is_staff(request):
            return None
        limit, window = settings.RATE_LIMIT_REQUESTS, settings.RATE_LIMIT_WINDOW
        address = client_address(request)
        try:
            count, retry_after = count_request(address)
        except Exception:  # a cache outage must not take the API down with it
            logger.exception("Rate limiting skipped: the cache is unavailable.")
            return None
        if count > limit:
            return too_many_requests(limit, window, retry_after)
        return None
