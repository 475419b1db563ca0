"""Wagtail's search results (the modelsearch package's database backends), read for their ids only.

A search for a common word matches hundreds of pages; iterating the results builds a `Page` for
each (through modelcluster, about 50 µs apiece) only for the API to keep their ids. The PostgreSQL
and SQLite backends' results both answer `get_queryset()` with the ranked queryset they would
iterate (`PostgresSearchResults`, `SQLiteSearchResults`; a method, but not documented), so the ids
come from its `values_list` in the same order, from the same SQL less the other columns, and a
condition (which pages are public) is added to that query's own WHERE instead of following it with
a list of ids. Any other backend's results are iterated as documented.

tests/internals/test_modelsearch.py fails when an upgrade changes this.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from wagtail.models import Page


def result_rows(
    results: Iterable[Any], within: Q | None = None, limit: int | None = None, fields: tuple[str, ...] = ()
) -> list[tuple[Any, ...]]:
    """(pk, *fields) of each of search `results`, in their order: only pages meeting `within` (one
    query: the condition is part of the ranked one), at most `limit`. `results` must be unsliced
    when `within` is given (a sliced queryset cannot be filtered)."""
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        queryset = get_queryset()
        if within is not None:
            queryset = queryset.filter(within)
        rows = queryset.values_list("pk", *fields)
        return list(rows[:limit] if limit is not None else rows)
    found = [(item.pk, *(getattr(item, name) for name in fields)) for item in results]
    if within is not None:
        allowed = set(
            Page.objects.filter(within, pk__in=[row[0] for row in found]).values_list("pk", flat=True)
        )
        found = [row for row in found if row[0] in allowed]
    return found[:limit] if limit is not None else found
