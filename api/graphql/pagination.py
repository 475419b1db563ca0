"""Page-numbered pagination with totals, shared by every listing."""

import hashlib
import math
from typing import Any

import graphene
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

from api.graphql.errors import UserInputError
from api.visibility import facts_as_of, facts_valid_until, request_now
from cms.generation import current_generation

DEFAULT_PAGE_SIZE = 10
# Deep offsets cost the database more than any reader needs.
MAX_PAGE = 1000

# What a listing paginates: a queryset, or a list already in memory.
Items = QuerySet[Any] | list[Any]


def max_page_size() -> int:
    size: int = getattr(settings, "API_MAX_PAGE_SIZE", 50)
    return size


class PaginationInfo(graphene.ObjectType):
    """Where this page of results sits in the whole list."""

    page = graphene.Int(required=True, description="The page number returned, from 1.")
    page_size = graphene.Int(required=True, description="Items per page requested.")
    total_count = graphene.Int(required=True, description="Items in the whole list, across all pages.")
    total_pages = graphene.Int(required=True, description="Number of pages (0 when the list is empty).")
    has_next_page = graphene.Boolean(required=True, description="Whether a later page has items.")
    has_previous_page = graphene.Boolean(required=True, description="Whether an earlier page exists.")


def pagination_arguments() -> dict[str, graphene.Int]:
    return {
        "page": graphene.Int(default_value=1, description="Page number, from 1 to 1000; null means 1."),
        "page_size": graphene.Int(
            default_value=DEFAULT_PAGE_SIZE, description="Items per page, from 1 to 50; null means 10."
        ),
    }


class _Position:
    """What PaginationInfo shows; the total is only counted if a query selects a field needing it."""

    def __init__(self, items: Items, page: int, page_size: int, sliced: list[Any]) -> None:
        self.items, self.page, self.page_size = items, page, page_size
        start = (page - 1) * page_size
        # A partly filled page tells the total without counting.
        self._total: int | None = (
            start + len(sliced) if len(sliced) < page_size and (sliced or page == 1) else None
        )

    @property
    def total_count(self) -> int:
        if self._total is None:
            self._total = len(self.items) if isinstance(self.items, list) else cached_count(self.items)
        return self._total

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_count / self.page_size)

    @property
    def has_next_page(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous_page(self) -> bool:
        return self.page > 1


def _is_in(param: object, values: set[object]) -> bool:
    try:
        return param in values
    except TypeError:  # unhashable parameters (lists) are never the clock
        return False


def cached_count(queryset: QuerySet[Any]) -> int:
    """`queryset.count()`, kept for the content generation: counting every public item is a scan
    that grows with the site, and the answer only changes when content or the clock's next
    transition does (the same invalidation as cached answers)."""
    now = request_now()
    sql, params = queryset.query.sql_with_params()
    # The clock is the only thing in the SQL that differs between requests: the request's, or the
    # moment the visibility facts were read (public_pages() filters on it while they stand), as the
    # database backend writes it (SQLite's parameters are already strings).
    adapt = connections[queryset.db].ops.adapt_datetimefield_value
    moments = {moment for moment in (now, facts_as_of()) if moment is not None}
    clock: set[object] = {*moments, *map(adapt, moments)}
    material = repr((sql, tuple("<now>" if _is_in(param, clock) else param for param in params)))
    key = f"count:{current_generation()}:{hashlib.sha256(material.encode()).hexdigest()}"
    entry = cache.get(key)
    if entry is not None and now < entry[1]:
        counted: int = entry[0]
        return counted
    total, valid_until = queryset.count(), facts_valid_until()
    cache.set(key, (total, valid_until), timeout=max(1, int((valid_until - now).total_seconds())))
    return total


def paginate(items: Items, page: int | None, page_size: int | None) -> tuple[list[Any], _Position]:
    """Slice a queryset (or list) and describe the slice; a page past the end is empty, not an error."""
    # An explicit null means the default, as the schema's nullable arguments promise codegen users.
    page = 1 if page is None else page
    page_size = DEFAULT_PAGE_SIZE if page_size is None else page_size
    if page < 1:
        raise UserInputError("`page` must be 1 or more.", argument="page")
    if page > MAX_PAGE:
        raise UserInputError(f"`page` must be at most {MAX_PAGE}.", argument="page")
    if not 1 <= page_size <= max_page_size():
        raise UserInputError(f"`pageSize` must be between 1 and {max_page_size()}.", argument="pageSize")
    start = (page - 1) * page_size
    sliced = list(items[start : start + page_size])
    return sliced, _Position(items, page, page_size, sliced)
