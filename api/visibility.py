"""What anonymous visitors may see. Every public read goes through `public_pages()` or `public_media()`.

Within one API request (`request_scope()`), the facts these checks need (restrictions, hidden
branches, restricted collections) are read once, so a check costs no query per item.
"""

from collections import abc
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import NotRequired, TypedDict, TypeVar

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Collection, CollectionMember, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.query import PageQuerySet

from cms.compiled_sql import traced
from cms.generation import current_generation
from cms.paths import site_root_paths
from cms.request_cache import memoised as _memoised
from cms.request_cache import store

# Hook for content apps: `fn(now)` returns the next moment after `now` at which the clock alone
# changes what their listings show (None if never), e.g. when the next upcoming event ends.
CLOCK_TRANSITIONS_HOOK = "register_clock_transition"

# What public_media() takes and gives back: an image or a document.
Member = TypeVar("Member", bound=CollectionMember)


class _Facts(TypedDict):
    """What hides content, as kept in the cache for a content generation."""

    hidden: list[str]
    restricted_collections: frozenset[int]
    # Absent from facts kept before it was recorded.
    as_of: NotRequired[datetime]
    valid_until: datetime


# (as of, valid until, site roots, hidden paths): what a public_pages() queryset was built from.
_BuiltKey = tuple[datetime, datetime, tuple[str, ...], tuple[str, ...]]


def request_now() -> datetime:
    """The time of the current request (one clock reading per request scope)."""
    now: datetime = _memoised("now", timezone.now)
    return now


def _compute_facts(now: datetime) -> _Facts:
    hidden = Page.objects.filter(numchild__gt=0).filter(
        Q(live=False) | Q(expire_at__lte=now) | Q(go_live_at__gt=now)
    )
    paths = set(hidden.values_list("path", flat=True))
    # Any restriction (password, login, groups) hides the page and everything under it.
    paths.update(PageViewRestriction.objects.values_list("page__path", flat=True))
    restricted = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    collection_ids = (
        frozenset(
            Collection.objects.filter(reduce(or_, (Q(path__startswith=p) for p in restricted))).values_list(
                "id", flat=True
            )
        )
        if restricted
        else frozenset()
    )
    # The facts hold until content changes (a new generation) or a scheduled time arrives.
    upcoming = Page.objects.aggregate(
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        expire=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    # What the content apps list can change with the clock too (an event ending): each app registers
    # when its next such moment is, and answers built on these facts expire then.
    registered = [transition(now) for transition in hooks.get_hooks(CLOCK_TRANSITIONS_HOOK)]
    moments = [moment for moment in (*upcoming.values(), *registered) if moment]
    moments.append(now + timedelta(hours=1))
    return {
        "hidden": sorted(paths),
        "restricted_collections": collection_ids,
        "as_of": now,
        "valid_until": min(moments),
    }


# The facts a process last read, with the generation they belong to: while the generation and the
# clock allow, a request needs no cache round trip for them at all. One tuple, replaced whole, so a
# thread never pairs one request's generation with another's facts (older facts under a newer
# generation would hide nothing a privacy change since has hidden).
_process_facts: tuple[str, _Facts] | None = None


def _facts() -> _Facts:
    """What hides content (hidden branches, restricted collections), shared across requests.

    Kept in the cache under the current content generation, which every content change bumps,
    and only until the next scheduled go-live or expiry, so it can never be stale.
    """

    def compute() -> _Facts:
        global _process_facts
        now = request_now()
        key = f"visibility:facts:{current_generation()}"
        kept = _process_facts
        facts: _Facts | None = kept[1] if kept is not None and kept[0] == key else None
        if facts is None or facts["valid_until"] <= now:
            facts = cache.get(key)
        if facts is None or facts["valid_until"] <= now:
            facts = _compute_facts(now)
            cache.set(key, facts, timeout=max(1, int((facts["valid_until"] - now).total_seconds())))
        _process_facts = (key, facts)
        return facts

    facts: _Facts = _memoised("facts", compute)
    return facts


def facts_valid_until() -> datetime:
    """The next moment the clock alone changes what anonymous visitors see (at most an hour away)."""
    return _facts()["valid_until"]


def listing_now() -> datetime:
    """The moment a listing filtered by the clock (upcoming events) compares with: the facts' own
    while they stand, else the request's. Every moment the clock alone changes a listing ends the
    facts (CLOCK_TRANSITIONS_HOOK), so until `facts_valid_until()` both select the same items;
    the facts' moment keeps the listing's SQL the same from request to request (cms/compiled_sql.py)."""
    facts = _facts()
    now = request_now()
    as_of = facts.get("as_of")
    return as_of if as_of is not None and as_of <= now < facts["valid_until"] else now


def facts_as_of() -> datetime | None:
    """The moment the facts were read, which public_pages() may filter on in place of the request's
    (same pages until `facts_valid_until()`); None for facts kept before it was recorded."""
    return _facts().get("as_of")


def _hidden_branch_paths() -> list[str]:
    """Tree paths whose whole subtree is hidden: unpublished, expired, not yet live, or restricted."""
    return _facts()["hidden"]


def public_pages(model: type[Page] = Page) -> PageQuerySet:
    """Live, unrestricted, in-date pages inside a site, none of whose ancestors is hidden.

    Wagtail's `live()` looks at the page alone and `publish_scheduled` may not have run yet,
    so dates, restrictions and ancestors are all checked here.
    """
    facts = _facts()
    now = request_now()
    roots = tuple(root.root_path for root in site_root_paths())
    if not roots:
        return model.objects.none()
    as_of = facts.get("as_of")
    if as_of is None or not as_of <= now < facts["valid_until"]:
        return model.objects.filter(_public(now, roots, facts["hidden"]))
    # Between the moment the facts were read and the next scheduled go-live or expiry, the dates
    # select the same pages at any instant: one queryset serves every request until then, and
    # only its copy is handed out (building these filters was a tenth of a listing's CPU).
    key = (as_of, facts["valid_until"], roots, tuple(facts["hidden"]))
    built = _built.get(model)
    if built is None or built[0] != key:
        # Traced by the same key: a listing built on it runs SQL compiled once per shape.
        queryset = model.objects.filter(_public(as_of, roots, facts["hidden"]))
        built = _built[model] = (key, traced(queryset, ("public_pages", model, *key)))
    return built[1].all()


def public_pages_at(page_path: str) -> PageQuerySet:
    """Public pages whose frontend path is `page_path` (with its trailing slash), under any site's
    root: how `page(path:)` finds a page, and a form's redirect path is checked."""
    roots = [root.root_path.rstrip("/") for root in site_root_paths()]
    found: PageQuerySet = public_pages().filter(url_path__in=[root + page_path for root in roots])
    return found


def public_conditions() -> Q:
    """public_pages()'s filter as one condition on Page, for a query that must stay one query (a
    ranked search: as `pk__in` a subquery, PostgreSQL looked each match up again)."""
    return _public(request_now(), tuple(root.root_path for root in site_root_paths()), _hidden_branch_paths())


def _public(now: datetime, roots: tuple[str, ...], hidden: list[str]) -> Q:
    if not roots:
        return Q(pk__in=[])  # matches nothing
    condition = (
        Q(live=True, depth__gt=1)
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & reduce(or_, (Q(url_path__startswith=root) for root in roots))
    )
    if hidden:
        condition &= ~reduce(or_, (Q(path__startswith=path) for path in hidden))
    return condition


# {model: (the facts it was built from, public_pages() queryset)}: only the current facts' are kept.
_built: dict[type[Page], tuple[_BuiltKey, PageQuerySet]] = {}


def is_public(page: Page | None) -> bool:
    if page is None:
        return False
    known = public_page_paths_known()
    if known is not None and page.pk in known:
        return known[page.pk] is not None
    public: bool = public_pages().filter(pk=page.pk).exists()
    return public


def public_page_paths_known() -> dict[int, str | None] | None:
    """Public url_paths of pages prefetched for this request ({id: url_path or None}), if any."""
    memo = store()
    known: dict[int, str | None] | None = None if memo is None else memo.setdefault("public_page_paths", {})
    return known


def load_public_page_paths(ids: abc.Collection[int]) -> dict[int, str | None]:
    """Look up in one query which of `ids` are public, remembering the answer for this request."""
    known = public_page_paths_known()
    wanted = [pk for pk in ids if known is None or pk not in known]
    found = dict(public_pages().filter(pk__in=wanted).values_list("pk", "url_path")) if wanted else {}
    if known is None:
        return {pk: found.get(pk) for pk in ids}
    for pk in wanted:
        known[pk] = found.get(pk)
    return {pk: known[pk] for pk in ids}


def restricted_collection_ids() -> frozenset[int]:
    """Collections with a view restriction, and every collection under them."""
    return _facts()["restricted_collections"]


def public_media(item: Member | None) -> Member | None:
    """An image or document if anonymous visitors may see it, else None."""
    if item is None or item.collection_id in restricted_collection_ids():
        return None
    return item
