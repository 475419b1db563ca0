"""Full-text search over public pages with Wagtail's search backend."""

import re

from django.conf import settings
from wagtail.query import PageQuerySet

from api.graphql.errors import UserInputError

MAX_SEARCH_RESULTS = 500


# Search text is words, not syntax: quotes, brackets and operators would reach the database's
# full-text parser (SQLite's FTS5 fails on an unbalanced quote), so they become spaces.
_NOT_WORDS = re.compile(r"[^\w\s'’.-]+")


def validate_search_term(term: str | None, argument: str) -> str:
    term = (term or "").strip()
    limit: int = settings.API_MAX_SEARCH_LENGTH
    if len(term) > limit:
        raise UserInputError(f"Search terms are limited to {limit} characters.", argument=argument)
    return " ".join(_NOT_WORDS.sub(" ", term).split())


def matching_ids(queryset: PageQuerySet, term: str) -> list[int]:
    """Ids of pages in `queryset` that match `term`, best match first (at most MAX_SEARCH_RESULTS)."""
    results = queryset.search(term, operator="and")[:MAX_SEARCH_RESULTS]
    return [page.pk for page in results]
