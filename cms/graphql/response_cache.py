"""Whole-response cache for anonymous GraphQL queries, and the HTTP caching headers of the API.

Entries are keyed by the query (whitespace-normalised), variables, operation and host, under a
content *generation* that every content change bumps (see `bump_generation`), so a change is
visible on the very next request. Answers that depend on the clock (scheduled go-live and
expiry, events ending, the London day turning) expire at the next such moment.
"""

import contextlib
import hashlib
import json
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone

GENERATION_KEY = "graphql:generation"
# Set in the WSGI environ (request.META) when an answer comes from, or goes into, this cache:
# (generation, expiry as a Unix time), all cms/graphql/fast_path.py needs to replay the bytes.
# Not an HTTP_* name, so no client header can forge it.
FAST_PATH_MARKER = "psg.response_cache"
# Also set by the fast path, for the same reason: the generation it read for this request (so the
# view need not read it again), and a list where the view leaves its cache writes, which the fast
# path sends to the cache together with its own in one round trip.
GENERATION_SEEN = "psg.generation"
DEFERRED_WRITES = "psg.deferred_cache_writes"
_WHITESPACE = re.compile(r"\s+")


def adopt_generation(request):
    """Take the generation the fast path read for this request as the request's own."""
    from cms.request_cache import store

    generation = request.META.get(GENERATION_SEEN)
    memo = store()
    if generation is not None and memo is not None:
        memo.setdefault("generation", generation)


def current_generation():
    from cms.request_cache import memoised

    return memoised("generation", _read_generation)


def _read_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_generation(**_kwargs):
    """Forget every cached answer: called whenever content that answers can show changes."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def next_transition(now):
    """When a cached answer must go: the visibility facts' next scheduled change, or midnight in
    London (events with no end stop being upcoming then), whichever is first."""
    from cms.visibility import facts_valid_until

    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(facts_valid_until(), midnight)


def _cache_key(request, params):
    query, variables, operation_name = params
    material = json.dumps(
        [
            _WHITESPACE.sub(" ", query).strip(),
            variables or {},
            operation_name or "",
            request.scheme,
            request.get_host(),
        ],
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(material.encode()).hexdigest()
    return f"graphql:response:{current_generation()}:{digest}"


def is_cacheable_request(request, query):
    """Anonymous requests only (no session, no credentials), and never preview answers."""
    if not settings.GRAPHQL_RESPONSE_CACHE:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return "preview" not in query


def cached_response(request, params):
    entry = cache.get(_cache_key(request, params))
    if entry is None:
        return None
    response = HttpResponse(entry, content_type="application/json")
    response["X-Cache"] = "hit"
    # The entry holds only bytes: replay them until the expiry a miss would be stored with now.
    # That may need the database (facts evicted from the cache); an outage must not cost the hit.
    with contextlib.suppress(DatabaseError):
        _mark_for_fast_path(request, next_transition(timezone.now()))
    return response


def store_response(request, params, response):
    now = timezone.now()
    expires_at = next_transition(now)
    timeout = max(1, int((expires_at - now).total_seconds()))
    deferred = request.META.get(DEFERRED_WRITES)
    if deferred is not None:
        deferred.append((_cache_key(request, params), response.content, timeout))
    else:
        cache.set(_cache_key(request, params), response.content, timeout=timeout)
    response["X-Cache"] = "miss"
    _mark_for_fast_path(request, expires_at)


def _mark_for_fast_path(request, expires_at):
    # current_generation() is memoised for the request: the one the key above was made under.
    request.META[FAST_PATH_MARKER] = (current_generation(), expires_at.timestamp())


def add_http_caching(request, response, cacheable):
    """Public answers to GET are cacheable by browsers and CDNs, with a strong ETag; others are not."""
    if response.status_code != 200 or not cacheable or request.method != "GET":
        response["Cache-Control"] = "no-store" if not cacheable else "no-cache"
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    max_age = settings.GRAPHQL_CACHE_MAX_AGE
    cache_control = (
        f"public, max-age={max_age}, stale-while-revalidate={settings.GRAPHQL_CACHE_STALE_WHILE_REVALIDATE}"
    )
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = cache_control
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response
