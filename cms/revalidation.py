"""The frontend paths a change alters: what webhooks name and what the HTTP cache tier forgets.

A change shows on the changed page, its listings, home, the feeds and sitemap, and on every page
that refers to it: a rich-text link, a button or page-chooser block, a featured item, a menu. The
referrers come from Wagtail's reference index (`ReferenceIndex`), which Wagtail's own task on the
immediate "default" backend brings up to date in the saving request itself, so it is current when
the signals of a publish, unpublish or move fire. Deletions are read before the rows go (pre_delete):
Wagtail drops an object's inbound references after deleting it.

References are followed one step further through objects that are not pages (a snippet that points
at the page, shown by the pages that point at the snippet), never from page to page: a page that
features another shows its title, not what that one links to. Only the paths of live, public pages
inside a site are named: the frontend serves no other.

The content apps add what they know through Wagtail hooks (their `wagtail_hooks.py`), so nothing
here names an app:

- `webhook_paths_for_page(page)`: extra paths for a page (`page` may be a plain `Page`: use
  `page.specific_class`); news adds its feeds for news pages and the news index.
- `webhook_paths_for_snippet(instance)`: the paths that show a saved or deleted snippet.
- `webhook_paths_for_site()`: the listings worth naming when something on every page changes.
- `webhook_paths_for_clock(since, now)`: what the clock alone changed between the two moments
  (events that ended: their pages and the events listing). The scheduler (`manage.py
  run_scheduler`) sends `schedule_reached` each time it runs; webhooks and the cache tier listen.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.dispatch import Signal
from django.utils import timezone
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex
from wagtail.snippets.models import get_snippet_models

from cms.models import NavigationMenu
from cms.paths import path_for_url_path

HOME = "/"
SITEMAP = "/sitemap.xml"

PAGE_PATHS_HOOK = "webhook_paths_for_page"
SNIPPET_PATHS_HOOK = "webhook_paths_for_snippet"
SITE_PATHS_HOOK = "webhook_paths_for_site"
CLOCK_PATHS_HOOK = "webhook_paths_for_clock"

# Sent by the scheduler with `since` and `until`: the clock has moved on from one to the other, and
# what it alone changes (an event ending) may show on the frontend.
schedule_reached = Signal()

# Shown on every page of the site: a change to one, or to a page one names, changes every page.
SITE_WIDE_MODELS: tuple[type[Model], ...] = (NavigationMenu,)

# Steps followed through objects that are not pages (snippet → snippet → page): each step is one
# query, whatever the number of referrers.
MAX_SNIPPET_STEPS = 2


@dataclass
class Paths:
    """Frontend paths a change alters, in order without duplicates, and whether it shows on every page."""

    paths: list[str] = field(default_factory=list)
    site_wide: bool = False

    @property
    def scope(self) -> str:
        return "site" if self.site_wide else "pages"


def unique(paths: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(path for path in paths if path))


def hooked_paths(hook_name: str, *args: Any) -> list[str | None]:
    return [path for hook in hooks.get_hooks(hook_name) for path in hook(*args) or ()]


def is_snippet(model: type[Model]) -> bool:
    # Apps register snippets from their models or their wagtail_hooks modules, some of which are
    # imported only once Wagtail first looks for hooks: look then, not at start-up.
    hooks.search_for_hooks()
    return model in get_snippet_models()


def _parent_url_path(url_path: str) -> str:
    return url_path[: url_path.rstrip("/").rfind("/") + 1]


@dataclass
class Referrers:
    """The live, public pages that refer to some objects: their Wagtail `url_path`s and specific
    classes, and whether a site-wide object (a menu) refers to them."""

    pages: list[tuple[str, type[Page]]] = field(default_factory=list)
    site_wide: bool = False

    def paths(self) -> list[str | None]:
        return [path_for_url_path(url_path) for url_path, _ in self.pages]

    def paths_with_listings(self) -> list[str | None]:
        """Each page, its parent (whose listing shows its card) and what the page hooks add (the feeds)."""
        paths: list[str | None] = []
        for url_path, page_class in self.pages:
            paths += [path_for_url_path(url_path), path_for_url_path(_parent_url_path(url_path))]
            paths += hooked_paths(PAGE_PATHS_HOOK, page_class())
        return paths


def referrers(*groups: Sequence[Model] | Any) -> Referrers:
    """The live, public pages that refer to any object of `groups` (each a list of model instances
    or a queryset of one model), directly or through objects that are not pages; a bounded number
    of queries, whatever the number of objects and referrers."""
    page_type = ContentType.objects.get_for_model(Page)
    references = reduce(or_, (ReferenceIndex.get_references_to_in_bulk(group) for group in groups))
    page_ids: set[str] = set()
    seen: set[tuple[int, str]] = set()
    site_wide_types = {ContentType.objects.get_for_model(model).pk for model in SITE_WIDE_MODELS}
    site_wide = False
    for _step in range(MAX_SNIPPET_STEPS + 1):
        others: dict[int, set[str]] = {}
        for type_id, object_id in references.values_list("base_content_type_id", "object_id").distinct():
            if type_id == page_type.pk:
                page_ids.add(object_id)
            elif (type_id, object_id) not in seen:
                seen.add((type_id, object_id))
                others.setdefault(type_id, set()).add(object_id)
        if site_wide_types & others.keys():
            site_wide = True
        if not others:
            break
        references = ReferenceIndex.objects.filter(
            reduce(or_, (Q(to_content_type_id=t, to_object_id__in=ids) for t, ids in others.items()))
        )
    return Referrers(pages=_public_pages(page_ids), site_wide=site_wide)


def _public_pages(ids: set[str]) -> list[tuple[str, type[Page]]]:
    """(url_path, specific class) of the pages among `ids` that anonymous visitors may see: live,
    in date, not restricted, under no unpublished or out-of-date ancestor (as
    `api.visibility.public_pages` decides); in url_path order."""
    if not ids:
        return []
    now = timezone.now()
    rows = list(
        Page.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()], depth__gt=1)
        .live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .values_list("path", "url_path", "content_type_id")
        .order_by("url_path")
    )
    steplen = Page.steplen
    ancestors = {path[:end] for path, _, _ in rows for end in range(steplen * 2, len(path), steplen)}
    hiding = Q(live=False) | Q(expire_at__lte=now) | Q(go_live_at__gt=now)
    hidden = set(Page.objects.filter(hiding, path__in=ancestors).values_list("path", flat=True))
    pages = []
    for path, url_path, type_id in rows:
        if any(path.startswith(ancestor) for ancestor in hidden):
            continue
        model = ContentType.objects.get_for_id(type_id).model_class() or Page
        pages.append((url_path, model))
    return pages


# --- What each kind of change alters ------------------------------------------------------------


def page_paths(
    page: Page,
    *,
    own_paths: list[str | None] | None = None,
    parents: Iterable[Page] = (),
    referred: Sequence[Model] | Any = None,
) -> Paths:
    """The page's path (or `own_paths`: the old and new ones of a move), its parents' listings (the
    current parent when `parents` is empty), home, every page referring to it (or to `referred`:
    a moved page's whole subtree), what the page hooks add, and the sitemap."""
    own_paths = [path_for_url_path(page.url_path)] if own_paths is None else own_paths
    parents = list(parents) or [page.get_parent()]
    found = referrers([page] if referred is None else referred)
    paths = [*own_paths, *(path_for_url_path(parent.url_path) for parent in parents if parent), HOME]
    paths += found.paths()
    paths += hooked_paths(PAGE_PATHS_HOOK, page)
    paths.append(SITEMAP)
    return Paths(unique(paths), found.site_wide)


def moved_paths(
    page: Page, parent_before: Page, parent_after: Page, url_path_before: str, url_path_after: str
) -> Paths:
    """Old and new paths of the page and of every page under it, both parents' listings, and the
    pages referring to any of them (their links now lead elsewhere)."""
    own = [path_for_url_path(url_path_before), path_for_url_path(url_path_after)]
    subtree = Page.objects.descendant_of(page, inclusive=True)
    if url_path_before != url_path_after:
        for url_path in subtree.exclude(pk=page.pk).values_list("url_path", flat=True):
            old = url_path_before + url_path[len(url_path_after) :]
            own += [path_for_url_path(old), path_for_url_path(url_path)]
    return page_paths(page, own_paths=own, parents=[parent_before, parent_after], referred=subtree)


def privacy_paths(page: Page) -> Paths:
    """A restriction added to or removed from `page`: it and everything under it appear or vanish."""
    subtree = Page.objects.descendant_of(page, inclusive=True)
    own = [path_for_url_path(url_path) for url_path in subtree.live().values_list("url_path", flat=True)]
    return page_paths(page, own_paths=own, referred=subtree)


def snippet_paths(instance: Model) -> Paths:
    """Home, what the snippet hooks name (the pages that show it and their listings), and the live
    pages referring to it. Navigation menus show on every page (site-wide)."""
    paths: list[str | None] = [HOME]
    site_wide = isinstance(instance, SITE_WIDE_MODELS)
    if instance.pk:
        found = referrers([instance])
        paths += hooked_paths(SNIPPET_PATHS_HOOK, instance)
        paths += found.paths()
        site_wide = site_wide or found.site_wide
    return Paths(unique(paths), site_wide)


def site_paths() -> Paths:
    """Something shown on every page (the site settings): home and the listings."""
    return Paths(unique([HOME, *hooked_paths(SITE_PATHS_HOOK)]), site_wide=True)


def media_paths(*groups: Sequence[Model] | Any) -> Paths:
    """Images or documents changed or deleted (lists, or querysets): every live page using one, the
    listings that show those pages' cards and what the page hooks add for them (the feeds), and
    home. Nothing when no page uses them."""
    found = referrers(*groups)
    if not found.pages:
        return Paths([], found.site_wide)
    return Paths(unique([*found.paths_with_listings(), HOME]), found.site_wide)


def collection_paths(collection: Collection) -> Paths:
    """A collection's privacy changed: the pages using an image or document in it or under it."""
    subtree = Collection.objects.descendant_of(collection, inclusive=True)
    return media_paths(
        get_image_model().objects.filter(collection__in=subtree),
        get_document_model().objects.filter(collection__in=subtree),
    )


def clock_paths(since: datetime, until: datetime) -> Paths:
    """What the clock alone changed between `since` and `until` (the apps' clock hooks), and home,
    which lists what is upcoming; nothing when no hook names a path."""
    hooked = unique(hooked_paths(CLOCK_PATHS_HOOK, since, until))
    return Paths(unique([*hooked, HOME]) if hooked else [])
