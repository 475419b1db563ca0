"""One parse per query text: the response cache's key (`response_cache.py`) and the view's
validation (`view.py`) read the same document, so a request the cache cannot answer is parsed once,
not twice (a parse is about a tenth of an uncached listing's CPU)."""

import functools

from django.conf import settings
from graphql import DocumentNode, parse


def parse_query(query: str, max_tokens: int | None = None) -> DocumentNode:
    """`query` parsed within `max_tokens` (default: GRAPHQL_LIMITS') tokens, comments counted
    apart; raises GraphQLSyntaxError. The document is shared: read it, never change it."""
    limit: int = settings.GRAPHQL_LIMITS["MAX_TOKENS"] if max_tokens is None else max_tokens
    return _parse(query, limit)


@functools.lru_cache(maxsize=16)
def _parse(query: str, limit: int) -> DocumentNode:
    # The last few: a request's two readers, across a few requests running at once.
    return parse(query, max_lexical_tokens=limit, max_comments=limit)
