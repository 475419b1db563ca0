"""Wagtail's search results (the modelsearch package's database backends), read for their ids only.

A search for a common word matches hundreds of pages; iterating the results builds a `Page` for
each (through modelcluster, about 50 µs apiece) only for the API to keep their ids. The PostgreSQL
and SQLite backends' results both answer `get_queryset()` with the ranked queryset they would
iterate (`PostgresSearchResults`, `SQLiteSearchResults`; a method, but not documented), so the ids
come from its `values_list` in the same order, from the same SQL less the other columns. Any other
backend's results are iterated as documented.

tests/internals/test_modelsearch.py fails when an upgrade changes this.
"""

from collections.abc import Iterable
from typing import Any


def result_ids(results: Iterable[Any]) -> list[int]:
    """The primary keys of search `results`, in their order."""
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [item.pk for item in results]
