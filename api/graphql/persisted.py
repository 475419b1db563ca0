"""Persisted queries: a request names its query by the SHA-256 of the query's text.

The protocol is Apollo's automatic persisted queries: `extensions.persistedQuery` is
`{"version": 1, "sha256Hash": "<64 hex digits>"}`, in the JSON body of a POST or in the GET
parameter `extensions` (URL-encoded JSON). Sent without the query, the hash runs the query it names;
a hash the server does not know gets `PersistedQueryNotFound` (HTTP 200, as Apollo Client and urql
expect), and the client sends the hash again with the query, which is checked against the hash,
registered and run. Only the query's text changes what runs, so the view keys the response cache by
it: a hash-only GET shares its entry with the GET that spells the query out.

What runs, by GRAPHQL_PERSISTED_QUERIES:

- "auto": any query, and a client's registration is kept in the cache (the "default" alias, which
  may evict) for GRAPHQL_PERSISTED_QUERY_TTL seconds. Only a query that passes every limit and
  validates is kept, each one counts against its client's budget of new cache entries (as cached
  answers do), and a lost one costs the client one more round trip, which the protocol provides for.
- "allowlist": only the operations loaded from the frontend's build (`api.models.PersistedQuery`,
  `manage.py load_persisted_queries`), named by hash or sent in full; anything else is refused with
  PERSISTED_QUERY_NOT_ALLOWED, and nothing is registered. A mutation (`submitForm`) sent in full is
  not an operation to load: it runs in every mode, as the view runs mutations (JSON POST only).
- "off": hashes are not looked at; a hash-only request gets `PersistedQueryNotSupported`, on which
  clients send the query instead.

Loaded operations run by hash in "auto" too; they are read through the cache in front of the database.
Operations the CMS sends itself (the news widget's) are registered by their apps at startup
(`register_persisted_query`) and run in every mode, so the allowlist never shuts out the CMS's own.
"""

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from wagtail import hooks

from api.graphql.errors import RequestError
from api.graphql.response_cache import may_add_entry
from api.models import PersistedQuery

OFF, AUTO, ALLOWLIST = "off", "auto", "allowlist"
VERSION = 1
# What a hash looks like: SHA-256 in hexadecimal (either case; kept in lowercase).
HASH = re.compile(r"[0-9a-fA-F]{64}")
# Followed by the hash. Apart, so that what a client registers never passes for a loaded operation.
LOADED_KEY = "graphql:persisted:loaded:"
REGISTERED_KEY = "graphql:persisted:registered:"
BUILT_IN_HOOK = "register_persisted_query"

# Says why a query would be refused before it runs (limits, syntax, schema), None if it would run.
Refusal = Callable[[str], object]


def document_hash(document: str) -> str:
    """The hash that names `document`: SHA-256 of its UTF-8 text, in lowercase hex."""
    # A lone surrogate (JSON allows "\ud800") hashes to something no client sends, never an error.
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).hexdigest()


def register_persisted_query(document: str) -> None:
    """Let `document`, an operation the CMS itself sends, run in every mode; call it from the app's
    wagtail_hooks.py. It is checked like any loaded operation (tests/api/test_built_in_operations.py)."""
    hooks.register(BUILT_IN_HOOK, lambda: document)


@functools.cache
def built_in_operations() -> dict[str, str]:
    """{hash: document} of what the apps registered; the hooks are all in once the apps are ready."""
    documents: list[str] = [provide() for provide in hooks.get_hooks(BUILT_IN_HOOK)]
    return {document_hash(document): document for document in documents}


def requested_hash(extensions: object) -> str | None:
    """The hash a request's `extensions` name (lowercase), or None; RequestError when malformed."""
    if extensions is None:
        return None
    if not isinstance(extensions, dict):
        raise RequestError(400, "BAD_REQUEST", "`extensions` must be a JSON object.")
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise RequestError(400, "BAD_REQUEST", "`extensions.persistedQuery` must be a JSON object.")
    version = persisted.get("version")
    # 1.0 is 1 in JSON; true is not.
    if isinstance(version, bool) or not isinstance(version, int | float) or version != VERSION:
        raise RequestError(400, "BAD_REQUEST", 'Unsupported persisted query version: send `"version": 1`.')
    sha256_hash = persisted.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not HASH.fullmatch(sha256_hash):
        raise RequestError(
            400,
            "BAD_REQUEST",
            "`extensions.persistedQuery.sha256Hash` must be the SHA-256 of the query: 64 hexadecimal digits.",
        )
    return sha256_hash.lower()


def query_to_run(request: HttpRequest, query: object, extensions: object, refusal: Refusal) -> object:
    """The query `request` runs: `query` as sent, or the one its persisted-query hash names.

    RequestError when the hash is malformed, unknown, or not the query's, or when the allowlist
    does not hold the operation. A query that is not a string is handed back for the view to refuse.
    """
    mode = settings.GRAPHQL_PERSISTED_QUERIES
    sent = query is not None and query != ""
    if mode == OFF:
        if not sent and isinstance(extensions, dict) and "persistedQuery" in extensions:
            raise RequestError(200, "PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
        return query
    sha256_hash = requested_hash(extensions)
    if sha256_hash is None:
        if mode == ALLOWLIST and isinstance(query, str) and query.strip() and not is_mutation(query):
            _require_loaded(document_hash(query))
        return query
    if not sent:
        found = _loaded(sha256_hash) if mode == ALLOWLIST else _loaded_or_registered(sha256_hash)
        if found is not None:
            return found
        if mode == ALLOWLIST:
            raise _not_allowed()
        # Never cached by anyone (view: not cacheable), so the registration that follows is seen.
        raise RequestError(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
    if not isinstance(query, str):
        return query
    if document_hash(query) != sha256_hash:
        raise RequestError(
            400,
            "PERSISTED_QUERY_HASH_MISMATCH",
            "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`: hash the exact "
            "text sent (UTF-8), in hexadecimal.",
        )
    if mode == ALLOWLIST:
        if not is_mutation(query):
            _require_loaded(sha256_hash)
    else:
        _register(request, sha256_hash, query, refusal)
    return query


def is_mutation(query: str) -> bool:
    """Whether `query` holds only mutations: sent in full, they run in every mode (a form's answers
    are never an operation to load, and the view sends mutations nowhere near a cache)."""
    try:
        document = parse(query, no_location=True, max_tokens=settings.GRAPHQL_LIMITS["MAX_TOKENS"])
    except (GraphQLError, RecursionError):
        return False
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    return bool(operations) and all(node.operation == OperationType.MUTATION for node in operations)


def forget_loaded(hashes: Iterable[str]) -> None:
    """Drop the cached copies of loaded operations that were removed from the database."""
    keys = [LOADED_KEY + sha256_hash for sha256_hash in hashes]
    if keys:
        cache.delete_many(keys)


def _not_allowed() -> RequestError:
    return RequestError(
        403,
        "PERSISTED_QUERY_NOT_ALLOWED",
        "Only operations registered from the frontend's build run here, and this one is not.",
    )


def _require_loaded(sha256_hash: str) -> None:
    if _loaded(sha256_hash) is None:
        raise _not_allowed()


def _from_database(sha256_hash: str) -> str | None:
    try:
        document: str = PersistedQuery.objects.values_list("document", flat=True).get(sha256_hash=sha256_hash)
    except PersistedQuery.DoesNotExist:
        return None
    cache.set(LOADED_KEY + sha256_hash, document, timeout=settings.GRAPHQL_PERSISTED_QUERY_TTL)
    return document


def _loaded(sha256_hash: str) -> str | None:
    """The loaded (or built-in) operation named `sha256_hash`, or None."""
    document: str | None = built_in_operations().get(sha256_hash) or cache.get(LOADED_KEY + sha256_hash)
    return document if document is not None else _from_database(sha256_hash)


def _loaded_or_registered(sha256_hash: str) -> str | None:
    built_in = built_in_operations().get(sha256_hash)
    if built_in is not None:
        return built_in
    found: dict[str, Any] = cache.get_many([LOADED_KEY + sha256_hash, REGISTERED_KEY + sha256_hash])
    document: str | None = found.get(LOADED_KEY + sha256_hash) or found.get(REGISTERED_KEY + sha256_hash)
    return document if document is not None else _from_database(sha256_hash)


def _register(request: HttpRequest, sha256_hash: str, query: str, refusal: Refusal) -> None:
    key = REGISTERED_KEY + sha256_hash
    if cache.get(key) is not None:
        return
    # A query refused before it runs is never kept: its answer says why.
    if refusal(query) is not None or not may_add_entry(request.META):
        return
    cache.set(key, query, timeout=settings.GRAPHQL_PERSISTED_QUERY_TTL)
