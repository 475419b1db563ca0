"""Page-numbered pagination with totals, shared by every listing."""

import math

import graphene
from django.conf import settings

from cms.graphql.errors import UserInputError

DEFAULT_PAGE_SIZE = 10
# Deep offsets cost the database more than any reader needs.
MAX_PAGE = 1000


def max_page_size():
    return getattr(settings, "API_MAX_PAGE_SIZE", 50)


class PaginationInfo(graphene.ObjectType):
    """Where this page of results sits in the whole list."""

    page = graphene.Int(required=True, description="The page number returned, from 1.")
    page_size = graphene.Int(required=True, description="Items per page requested.")
    total_count = graphene.Int(required=True, description="Items in the whole list, across all pages.")
    total_pages = graphene.Int(required=True, description="Number of pages (0 when the list is empty).")
    has_next_page = graphene.Boolean(required=True, description="Whether a later page has items.")
    has_previous_page = graphene.Boolean(required=True, description="Whether an earlier page exists.")


def pagination_arguments():
    return {
        "page": graphene.Int(default_value=1, description="Page number, from 1 to 1000; null means 1."),
        "page_size": graphene.Int(
            default_value=DEFAULT_PAGE_SIZE, description="Items per page, from 1 to 50; null means 10."
        ),
    }


def paginate(items, page, page_size):
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
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    total_pages = math.ceil(total / page_size)
    start = (page - 1) * page_size
    sliced = list(items[start : start + page_size]) if start < total else []
    info = PaginationInfo(
        page=page,
        page_size=page_size,
        total_count=total,
        total_pages=total_pages,
        has_next_page=page < total_pages,
        has_previous_page=page > 1,
    )
    return sliced, info
