"""Whole-response cache for anonymous GraphQL queries, and the HTTP caching headers of the API.

Entries are keyed by what changes the answer: the query (whitespace-normalised), the selected
operation, the values of the variables it declares (a declared variable left out is keyed as its
default; variables it does not declare are ignored, as graphql-core ignores them), the scheme and
the host, under a content *generation* that every content change bumps (see `bump_generation`),
so a change is visible on the very next request. Answers that depend on the clock (scheduled
go-live and expiry, events ending, the London day turning) expire at the next such moment.

What one client can add is bounded: answers over GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES are sent
but not kept, and each client address may add GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES answers per
rate-limit window, counted in the state cache beside its rate-limit counters (`may_add_entry`).

A request with a valid API key (api/api_keys.py) is answered from, and adds to, the same entries as
an anonymous one: a key never changes an answer, and an entry holds only the answer's bytes. The
rate limiter makes its HTTP answer `private`, so no shared cache (the tier, a CDN) keeps it.
"""

import contextlib
import functools
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from graphql import GraphQLError, OperationDefinitionNode, value_from_ast_untyped

from api import api_keys, ratelimit
from api.graphql.limits import rough_token_count
from api.graphql.parsing import parse_query
from api.visibility import facts_valid_until
from cms.generation import current_generation
from cms.request_cache import store

logger = logging.getLogger("api.graphql.response_cache")

# Set in the WSGI environ (request.META) when an answer comes from, or goes into, this cache:
# (generation, expiry as a Unix time), all api/graphql/fast_path.py needs to replay the bytes.
# Not an HTTP_* name, so no client header can forge it.
FAST_PATH_MARKER = "psg.response_cache"
# Also set by the fast path, for the same reason: the generation it read for this request (so the
# view need not read it again), and a list where the view leaves its cache writes, which the fast
# path sends to the cache together with its own in one round trip.
GENERATION_SEEN = "psg.generation"
DEFERRED_WRITES = "psg.deferred_cache_writes"
_WHITESPACE = re.compile(r"\s+")

# A request's query, variables and operation name, as the view reads them.
Params = tuple[str, dict[str, Any] | None, str | None]
_Operations = dict[str | None, tuple[tuple[str, bool, Any], ...]]


def adopt_generation(request: HttpRequest) -> None:
    """Take the generation the fast path read for this request as the request's own."""
    generation = request.META.get(GENERATION_SEEN)
    memo = store()
    if generation is not None and memo is not None:
        memo.setdefault("generation", generation)


def next_transition() -> datetime:
    """When a cached answer must go: the next moment the clock alone changes what is public or
    listed (scheduled go-live and expiry, and what the content apps register; api.visibility)."""
    return facts_valid_until()


def _cache_key(request: HttpRequest, params: Params) -> str:
    # A miss asks twice (the lookup, then the store): the key is worked out once per request.
    memo = store()
    if memo is not None:
        known = memo.get("response_cache_key")
        if known is not None and known[0] is request and known[1] == params:
            key: str = known[2]
            return key
    key = _work_out_key(request, params)
    if memo is not None:
        memo["response_cache_key"] = (request, params, key)
    return key


def _work_out_key(request: HttpRequest, params: Params) -> str:
    query, variables, operation_name = params
    operation_name, variables = _what_changes_the_answer(query, variables, operation_name)
    material = json.dumps(
        [_WHITESPACE.sub(" ", query).strip(), variables, operation_name, request.scheme, request.get_host()],
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(material.encode()).hexdigest()
    return f"graphql:response:{current_generation()}:{digest}"


def _what_changes_the_answer(
    query: str, variables: dict[str, Any] | None, operation_name: str | None
) -> tuple[str, dict[str, Any]]:
    """(operation name, variables) as execution sees them: the selected operation's name (however
    it was chosen), and only the variables it declares, a missing one as its default if it has one.

    A query that does not parse, or names no operation, is keyed as sent: its answer is an error,
    which is never kept.
    """
    variables = variables or {}
    operations = _declared_variables(query, settings.GRAPHQL_LIMITS["MAX_TOKENS"])
    if operations is None:
        return operation_name or "", variables
    if operation_name is None:
        selected = next(iter(operations.items())) if len(operations) == 1 else None
    else:
        selected = (operation_name, operations[operation_name]) if operation_name in operations else None
    if selected is None:
        return operation_name or "", variables
    name, declared = selected
    used: dict[str, Any] = {}
    for variable, has_default, default in declared:
        if variable in variables:
            used[variable] = variables[variable]
        elif has_default:
            used[variable] = default
    return name or "", used


@functools.lru_cache(maxsize=128)
def _declared_variables(query: str, max_tokens: int) -> _Operations | None:
    """{operation name (None: anonymous): ((variable, has default, default), …)}, or None if the
    query does not parse. Worked out at most once per query and process while it is in use, from
    the document the view validates (api/graphql/parsing.py)."""
    if rough_token_count(query) > max_tokens:
        return None  # the view refuses it unparsed (QUERY_TOO_COMPLEX): nor is it parsed here
    try:
        document = parse_query(query, max_tokens)
    except (GraphQLError, RecursionError):
        return None
    operations: _Operations = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else None
            if name in operations:
                return None  # invalid (duplicate or several anonymous): an error answer
            operations[name] = tuple(
                (
                    node.variable.name.value,
                    node.default_value is not None,
                    value_from_ast_untyped(node.default_value) if node.default_value is not None else None,
                )
                for node in definition.variable_definitions or ()
            )
    return operations


def may_add_entry(meta: Mapping[str, Any]) -> bool:
    """Count one new cached answer against its client's budget for the window (`meta`: request.META
    or a WSGI environ): False once the client has added GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES."""
    budget: int = settings.GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES
    # A trusted frontend is bounded by its key's rate limit (one entry a request at most), which an
    # admin chose; its build of many pages should warm the cache for every reader.
    if budget <= 0 or api_keys.verified(meta) is not None:
        return True
    try:
        count, _ = ratelimit.count_in_window("cache-entries", ratelimit.address_from_meta(meta))
    except Exception:
        # As the rate limiter does: an outage of the state store costs the bound, not the answer.
        logger.exception("Response cache: the per-client bound is unavailable.")
        return True
    return count <= budget


def fits(size: int) -> bool:
    """Whether an answer of `size` bytes may be kept."""
    limit: int = settings.GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES
    return size <= limit


def is_cacheable_request(request: HttpRequest, query: str) -> bool:
    """Anonymous requests only (no session, no credentials but a verified API key), and never
    preview answers."""
    if not settings.GRAPHQL_RESPONSE_CACHE or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META and api_keys.verified(request.META) is None:
        return False
    return "preview" not in query


def forbid_caching() -> None:
    """Keep the current answer out of every cache (it holds something made for this request alone:
    a form's token, a mutation's result); what the view then sends is `no-store`."""
    memo = store()
    if memo is not None:
        memo["no_store"] = True


def caching_forbidden() -> bool:
    memo = store()
    return bool(memo and memo.get("no_store"))


def cached_response(request: HttpRequest, params: Params) -> HttpResponse | None:
    entry = cache.get(_cache_key(request, params))
    if entry is None:
        return None
    response = HttpResponse(entry, content_type="application/json")
    response["X-Cache"] = "hit"
    # The entry holds only bytes: replay them until the expiry a miss would be stored with now.
    # That may need the database (facts evicted from the cache); an outage must not cost the hit.
    with contextlib.suppress(DatabaseError):
        _mark_for_fast_path(request, next_transition())
    return response


def store_response(request: HttpRequest, params: Params, response: HttpResponse) -> None:
    response["X-Cache"] = "miss"
    if not fits(len(response.content)):
        return  # sent, not kept
    now = timezone.now()
    expires_at = next_transition()
    timeout = max(1, int((expires_at - now).total_seconds()))
    deferred = request.META.get(DEFERRED_WRITES)
    if deferred is not None:
        # The fast path writes it, with its own entry, once the client's budget allows both.
        deferred.append((_cache_key(request, params), response.content, timeout))
    elif may_add_entry(request.META):
        cache.set(_cache_key(request, params), response.content, timeout=timeout)
    else:
        return
    _mark_for_fast_path(request, expires_at)


def _mark_for_fast_path(request: HttpRequest, expires_at: datetime) -> None:
    # current_generation() is memoised for the request: the one the key above was made under.
    request.META[FAST_PATH_MARKER] = (current_generation(), expires_at.timestamp())


def add_http_caching(request: HttpRequest, response: HttpResponse, cacheable: bool) -> HttpResponse:
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
