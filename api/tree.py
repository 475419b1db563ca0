"""Where a public page sits in the page tree: its ancestors (breadcrumbs) and its public children.

Read for a whole response's list at once (api.prefetch batches), so selecting them on a list of 50
news items costs the same SQL as on one.
"""

from collections import defaultdict
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from wagtail.models import Page

from api.graphql.pagination import paginate
from api.prefetch import loaded_for_batch, prepare_pages
from api.visibility import public_pages


def ancestors(page: Page) -> list[Page]:
    """The public pages above `page`, from the site's home page down to its parent (specific)."""
    found: dict[int, list[Page]] = loaded_for_batch(page, "ancestors", _load_ancestors)
    return found.get(id(page), [])


def parent(page: Page) -> Page | None:
    """The public page directly above `page`; None for the home page."""
    above = ancestors(page)
    return above[-1] if above and above[-1].depth == page.depth - 1 else None


def _ancestor_paths(page: Page) -> list[str]:
    # The tree's root (depth 1) is never public: start at depth 2.
    path = page.path or ""
    return [path[: depth * Page.steplen] for depth in range(2, len(path) // Page.steplen)]


def _load_ancestors(pages: Sequence[Page]) -> dict[int, list[Page]]:
    paths = {path for page in pages for path in _ancestor_paths(page)}
    by_path = {p.path: p for p in public_pages().filter(path__in=paths).specific()} if paths else {}
    prepare_pages(by_path.values())
    return {id(page): [by_path[path] for path in _ancestor_paths(page) if path in by_path] for page in pages}


def children(page: Page, number: int | None, size: int | None) -> tuple[list[Page], Any]:
    """One page of `page`'s public children in the editors' tree order, with its pagination."""
    # Arguments are checked (a clear error) before any query, however many pages share the batch.
    paginate([], number, size)
    found: dict[int, tuple[list[Page], Any]] = loaded_for_batch(
        page, ("children", number, size), lambda pages: _load_children(pages, number, size)
    )
    return found[id(page)]


def _load_children(
    pages: Sequence[Page], number: int | None, size: int | None
) -> dict[int, tuple[list[Page], Any]]:
    # Wagtail counts every child in `numchild`: a page with none needs no query at all.
    parents = [page for page in pages if page.pk is not None and page.numchild]
    ids_by_parent: dict[str, list[int]] = defaultdict(list)
    if parents:
        rows = (
            public_pages()
            .filter(reduce(or_, (Q(path__startswith=p.path, depth=p.depth + 1) for p in parents)))
            .order_by("path")
            .values_list("pk", "path")
        )
        for pk, path in rows:
            ids_by_parent[path[: -Page.steplen]].append(pk)
    slices = {id(page): paginate(ids_by_parent.get(page.path, []), number, size) for page in pages}
    wanted = [pk for ids, _position in slices.values() for pk in ids]
    loaded = Page.objects.filter(pk__in=wanted).specific().in_bulk() if wanted else {}
    prepare_pages(loaded.values())
    return {
        key: ([loaded[pk] for pk in ids if pk in loaded], position) for key, (ids, position) in slices.items()
    }
