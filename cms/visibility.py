"""What anonymous visitors may see. Every public read goes through `public_pages()` or `public_media()`.

Within one API request (`request_scope()`), the facts these checks need (restrictions, hidden
branches, restricted collections) are read once, so a check costs no query per item.
"""

import contextvars
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.paths import site_root_paths

_memo = contextvars.ContextVar("visibility_memo", default=None)


@contextmanager
def request_scope():
    """Share the visibility facts across one request; nothing outlives it, so nothing goes stale."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _now():
    return _memoised("now", timezone.now)


def _hidden_branch_paths():
    """Tree paths whose whole subtree is hidden: unpublished, expired, not yet live, or restricted."""

    def compute():
        now = _now()
        hidden = Page.objects.filter(numchild__gt=0).filter(
            Q(live=False) | Q(expire_at__lte=now) | Q(go_live_at__gt=now)
        )
        paths = set(hidden.values_list("path", flat=True))
        # Any restriction (password, login, groups) hides the page and everything under it.
        paths.update(PageViewRestriction.objects.values_list("page__path", flat=True))
        return sorted(paths)

    return _memoised("hidden_branches", compute)


def public_pages(model=Page):
    """Live, unrestricted, in-date pages inside a site, none of whose ancestors is hidden.

    Wagtail's `live()` looks at the page alone and `publish_scheduled` may not have run yet,
    so dates, restrictions and ancestors are all checked here.
    """
    now = _now()
    qs = model.objects.filter(live=True, depth__gt=1)
    qs = qs.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    qs = qs.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    roots = [root.root_path for root in site_root_paths()]
    if not roots:
        return qs.none()
    qs = qs.filter(reduce(or_, (Q(url_path__startswith=root) for root in roots)))
    hidden = _hidden_branch_paths()
    if hidden:
        qs = qs.exclude(reduce(or_, (Q(path__startswith=path) for path in hidden)))
    return qs


def is_public(page):
    return page is not None and public_pages().filter(pk=page.pk).exists()


def restricted_collection_ids():
    """Collections with a view restriction, and every collection under them."""

    def compute():
        paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        if not paths:
            return frozenset()
        under = Collection.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))
        return frozenset(under.values_list("id", flat=True))

    return _memoised("restricted_collections", compute)


def public_media(item):
    """An image or document if anonymous visitors may see it, else None."""
    if item is None or item.collection_id in restricted_collection_ids():
        return None
    return item
