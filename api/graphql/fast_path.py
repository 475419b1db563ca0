"""Repeated anonymous GraphQL requests answered from the cache before Django builds a request.

A hit in the response cache (`response_cache.py`) still pays for Django's whole stack: a request
object, every middleware, URL resolution. This WSGI middleware instead replays the exact bytes
Django sent (status, headers, body) for the same raw request, kept under a fingerprint of
everything in the request that can change them. It keeps only answers the view marked as coming
from, or going into, the response cache, and replays one only under the content generation and
before the clock moment the mark gave it, so it is never staler than the response cache itself:
a content change shows on the very next request.

A replay costs one cache round trip (the generation and the entry in one `get_many`), plus the
rate limiter's count when that is on: replays are counted exactly as Django counts the view (the
same decision, `ratelimit.bucket_for_path`, on the same counter). What is kept is bounded as the
response cache bounds it: an answer over the size cap is not kept, and each kept answer counts
against its client's budget of new entries (`response_cache.may_add_entry`). Whatever goes wrong
here, the request goes to Django.

Under the production server the lookup happens even earlier, in its event loop
(`replay_in_event_loop`, called by cms/asgi_front.py once the request is read): a hit is sent from
there with no thread taken, through an asyncio Redis client, with the same checks and the same
bytes; a miss hands Django's thread the key and the generation it read, so the miss costs no
second lookup.
"""

import asyncio
import hashlib
import io
import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.cache.backends.redis import RedisCache

from api import ratelimit
from api.cache import STATE, event_loop_cache
from api.graphql.response_cache import (
    DEFERRED_WRITES,
    FAST_PATH_MARKER,
    GENERATION_SEEN,
    fits,
    may_add_entry,
)
from cms.generation import GENERATION_KEY
from cms.internals.django_redis import async_redis_client, decode, mget
from cms.request_id import HEADER as REQUEST_ID_HEADER
from cms.request_id import make_request_id

logger = logging.getLogger("api.graphql.fast_path")

# PATH_INFO (after SCRIPT_NAME, percent-decoded by the server) of the routes to the GraphQL view;
# a test checks that each resolves to it.
PATHS = frozenset({"/graphql/", "/graphql"})
KEY_PREFIX = "graphql:replay:"
# Set in the environ by `replay_in_event_loop` after a lookup that replayed nothing: the request's
# key, so the thread goes straight to Django. Not an HTTP_* name: no client header can set it.
LOOKED_UP = "psg.replay_looked_up"
# The event loop's lookup gives up after this long and leaves the request to the thread.
EVENT_LOOP_LOOKUP_SECONDS = 0.5

# Everything in the raw request, the POST body aside, that can change what Django sends for a
# cacheable answer: the query (GET), the scheme and host of absolute URLs, HSTS and the HTTPS
# redirect, ALLOWED_HOSTS, and the CORS headers (per Origin and path). Cookies and credentials
# never reach here (see `_key`), and everything else in an answer comes from the content.
_KEYED = (
    "REQUEST_METHOD",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_ORIGIN",
    "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK",
)
# Made afresh for every answer, never replayed.
_PER_REQUEST = frozenset({"x-request-id", "x-cache", "date"})

Headers = list[tuple[str, str]]
# What a replay keeps: (content generation, expiry as a timestamp, status line, headers, body, ETag).
Replay = tuple[object, float, str, tuple[tuple[str, str], ...], bytes, str | None]
# What is sent: status line, headers, body.
Answer = tuple[str, Headers, bytes]


class ResponseCacheFastPath:
    """WSGI middleware around Django's handler: replays cached anonymous GraphQL answers."""

    def __init__(self, application: WSGIApplication) -> None:
        self.application = application

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        looked_up = environ.pop(LOOKED_UP, None)
        if looked_up is not None:
            return self._through_django(environ, start_response, looked_up)
        key = None
        try:
            key = _key(environ)
            if key is not None:
                replayed = _replay(environ, start_response, key)
                if replayed is not None:
                    return replayed
        except Exception:
            # A cache outage (or anything else) costs the shortcut, never the answer.
            logger.exception("Response cache fast path skipped")
            key = None
        if key is None:
            return self.application(environ, start_response)
        return self._through_django(environ, start_response, key)

    def _through_django(
        self, environ: WSGIEnvironment, start_response: StartResponse, key: str
    ) -> Iterable[bytes]:
        sent: list[tuple[str, Headers]] = []

        def capture(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], object]:
            sent[:] = [(status, headers)]
            return start_response(status, headers, exc_info)

        deferred: list[tuple[str, object, int]] = []
        environ[DEFERRED_WRITES] = deferred
        result = self.application(environ, capture)
        marker = environ.get(FAST_PATH_MARKER)
        writes = {write_key: value for write_key, value, _timeout in deferred}
        # The shortest: the view's entry relies on its timeout alone, the replay checks its expiry.
        timeout = min((write[2] for write in deferred), default=None)
        if marker is not None and sent and _replayable(*sent[0]):
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # Django's request_finished: the server gets a plain list instead
            replay = _replay_entry(marker, *sent[0], body)
            if replay is not None:
                writes[key] = replay[0]
                timeout = replay[1] if timeout is None else min(timeout, replay[1])
            result = [body]
        if writes and may_add_entry(environ):
            try:
                # The view's answer and its replay, in one round trip.
                cache.set_many(writes, timeout=timeout)
            except Exception:
                logger.exception("Response cache fast path: the answer was not kept")
        return result


def _keyed_names() -> tuple[str, ...]:
    names: tuple[str, ...] = _KEYED
    if settings.SECURE_PROXY_SSL_HEADER:
        names += (settings.SECURE_PROXY_SSL_HEADER[0],)
    if settings.DISALLOWED_USER_AGENTS:
        names += ("HTTP_USER_AGENT",)
    return names


def _key(environ: WSGIEnvironment) -> str | None:
    """The cache key of this request's replay, or None when the request is not for the fast path."""
    method = environ.get("REQUEST_METHOD")
    if method not in ("GET", "POST") or environ.get("PATH_INFO") not in PATHS:
        return None
    if not settings.GRAPHQL_RESPONSE_CACHE or "HTTP_AUTHORIZATION" in environ:
        return None
    # Wherever the session cookie's name appears, Django decides: signed-in answers differ.
    if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
        return None
    # The persisted-query mode too: an answer kept under "auto" is not one "allowlist" would give.
    keyed = [settings.GRAPHQL_PERSISTED_QUERIES, *(environ.get(name, "") for name in _keyed_names())]
    digest = hashlib.sha256(json.dumps(keyed).encode())
    if method == "POST":
        body = _read_body(environ)
        if body is None:
            return None
        digest.update(body)
    return KEY_PREFIX + digest.hexdigest()


def _read_body(environ: WSGIEnvironment) -> bytes | None:
    try:
        length = int(environ["CONTENT_LENGTH"])
    except (KeyError, TypeError, ValueError):
        return None  # chunked or nonsense: Django decides
    if not 0 <= length <= settings.GRAPHQL_LIMITS["MAX_BODY_BYTES"]:
        return None  # Django answers 413
    body: bytes = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # Django reads it again, from the start
    return body


def _replay(environ: WSGIEnvironment, start_response: StartResponse, key: str) -> list[bytes] | None:
    found = cache.get_many([GENERATION_KEY, key])
    replay = _usable(environ, found.get(GENERATION_KEY), found.get(key))
    if replay is None or not _within_rate_limit(environ):
        return None  # over the limit: Django answers the 429
    status, headers, body = _answer(environ, replay)
    start_response(status, headers)
    return [body]


async def replay_in_event_loop(environ: WSGIEnvironment) -> Answer | None:
    """The replay for this request, looked up from the server's event loop (cms/asgi_front.py), or
    None: the request then goes to the WSGI application, told of a lookup already made."""
    try:
        key = _key(environ)
        if key is None:
            return None
        backend = event_loop_cache(DEFAULT_CACHE_ALIAS)
        if not isinstance(backend, RedisCache) or (
            settings.RATE_LIMIT_ENABLED and not isinstance(event_loop_cache(STATE), RedisCache)
        ):
            return None  # not Redis: the thread looks up and counts through Django's caches
        client = async_redis_client(backend)
        async with asyncio.timeout(EVENT_LOOP_LOOKUP_SECONDS):
            raw_generation, raw_entry = await mget(
                client, [backend.make_and_validate_key(GENERATION_KEY), backend.make_and_validate_key(key)]
            )
            environ[LOOKED_UP] = key
            replay = _usable(environ, decode(backend, raw_generation), decode(backend, raw_entry))
            if replay is None or not await _within_rate_limit_from_event_loop(environ):
                return None
        return _answer(environ, replay)
    except Exception:
        # As in the thread: an outage costs the shortcut, never the answer (the thread tries again).
        logger.exception("Response cache fast path skipped in the event loop")
        environ.pop(LOOKED_UP, None)
        environ.pop(GENERATION_SEEN, None)
        return None


def _usable(environ: WSGIEnvironment, current: object, entry: object) -> Replay | None:
    """The kept answer, if it is of the current generation and not past its expiry."""
    if current is not None:
        environ[GENERATION_SEEN] = current  # the view reuses it: no second read
    if entry is None:
        return None
    replay: Replay = entry  # type: ignore[assignment]
    generation, expires_at = replay[0], replay[1]
    if generation != current or time.time() >= expires_at:
        return None
    return replay


def _answer(environ: WSGIEnvironment, replay: Replay) -> Answer:
    _generation, _expires_at, status, kept, body, etag = replay
    request_id = make_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
    given = environ.get("HTTP_IF_NONE_MATCH")
    # As add_http_caching answers a GET (only GET answers carry an ETag).
    if etag and given and etag in [tag.strip() for tag in given.split(",")]:
        headers = [(name, value) for name, value in kept if name.lower() not in _NOT_IN_304]
        return "304 Not Modified", [*headers, ("Content-Length", "0"), (REQUEST_ID_HEADER, request_id)], b""
    return status, [*kept, ("X-Cache", "hit"), (REQUEST_ID_HEADER, request_id)], body


_NOT_IN_304 = frozenset({"content-type", "content-length"})


def _within_rate_limit(environ: WSGIEnvironment) -> bool:
    """Counts the request exactly as RateLimitMiddleware would, on the same counter."""
    counted = _to_count(environ)
    if isinstance(counted, bool):
        return counted
    return _within(*counted, *ratelimit.count_request(*counted))


async def _within_rate_limit_from_event_loop(environ: WSGIEnvironment) -> bool:
    """_within_rate_limit(), counted through the asyncio client."""
    counted = _to_count(environ)
    if isinstance(counted, bool):
        return counted
    count = await ratelimit.acount_request(*counted)
    if count is None:  # the state cache is not Redis (checked before the lookup)
        raise RuntimeError("the rate limit cannot be counted from the event loop")
    return _within(*counted, *count)


def _to_count(environ: WSGIEnvironment) -> tuple[str, str] | bool:
    """(address, bucket) this replay counts on; or the answer without counting: True when nothing
    is counted, False when the address is known to be over its limit already."""
    if not settings.RATE_LIMIT_ENABLED:
        return True
    # Resolved as Django resolves it; never signed in (no session cookie gets here), so never exempt.
    bucket = ratelimit.bucket_for_path(environ.get("PATH_INFO", ""))
    if bucket is None:
        return True
    address = ratelimit.address_from_meta(environ)
    return (address, bucket) if ratelimit.over_limit_for(address, bucket) is None else False


def _within(address: str, bucket: str, count: int, retry_after: int) -> bool:
    if count > settings.RATE_LIMIT_REQUESTS:
        ratelimit.remember_over_limit(address, bucket, retry_after)
        return False
    return True


def _replayable(status: str, headers: Headers) -> bool:
    if not status.startswith("200 "):
        return False
    for name, value in headers:
        name, value = name.lower(), value.lower()
        if name == "set-cookie" or (name == "vary" and "cookie" in value):
            return False
        if name == "cache-control" and ("private" in value or "no-store" in value):
            return False
    return True


def _replay_entry(
    marker: tuple[object, float], status: str, headers: Headers, body: bytes
) -> tuple[Replay, int] | None:
    """(what to keep, for how many seconds), or None once the marked expiry has passed."""
    generation, expires_at = marker
    seconds = expires_at - time.time()
    if seconds <= 0 or not fits(len(body)):
        return None
    kept = tuple((name, value) for name, value in headers if name.lower() not in _PER_REQUEST)
    etag = next((value for name, value in kept if name.lower() == "etag"), None)
    return (generation, expires_at, status, kept, body, etag), math.ceil(seconds)
