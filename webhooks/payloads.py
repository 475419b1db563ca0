"""What a webhook says: the event type and every frontend path whose content it may have changed.

The paths a content app knows about (its feeds, its listing, the pages that show one of its
snippets) come from the Wagtail hooks the app registers in its own `wagtail_hooks.py`; this
module names no content app:

- `webhook_paths_for_page(page)`: extra paths for a page event (`page` may be a plain `Page`:
  use `page.specific_class`); the news app adds its feeds for news pages and the news index.
- `webhook_paths_for_snippet(instance)`: the paths that show a saved or deleted snippet (the
  live pages using it, their listing…); empty for a snippet the app does not own.
- `webhook_paths_for_site()`: the listings worth naming when something shown on every page
  changes (the site settings).

Each hook returns an iterable of frontend paths (None entries are skipped); hooks run in
INSTALLED_APPS order, which is the order their paths appear in.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from cms.models import NavigationMenu
from cms.paths import path_for_url_path

PAGE_PUBLISHED = "page.published"
PAGE_UNPUBLISHED = "page.unpublished"
PAGE_MOVED = "page.moved"
PAGE_DELETED = "page.deleted"
SNIPPET_CHANGED = "snippet.changed"
SETTINGS_CHANGED = "settings.changed"

HOME = "/"
SITEMAP = "/sitemap.xml"

PAGE_PATHS_HOOK = "webhook_paths_for_page"
SNIPPET_PATHS_HOOK = "webhook_paths_for_snippet"
SITE_PATHS_HOOK = "webhook_paths_for_site"


def message(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def _unique(paths: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(path for path in paths if path))


def _hooked_paths(hook_name: str, *args: Any) -> list[str | None]:
    return [path for hook in hooks.get_hooks(hook_name) for path in hook(*args) or ()]


def _page_type(page: Page) -> str:
    # The class name, which is also the page's GraphQL __typename (NewsPage, EventPage…).
    return (page.specific_class or type(page)).__name__


def page_data(page: Page, *, own_paths: list[str | None] | None = None, parents: Iterable[Page] = ()) -> dict:
    """`data` for a page event. `own_paths` replaces the page's current path (moves, deletions);
    `parents` are the parent pages whose listings show it (the current parent when empty)."""
    own_paths = [path_for_url_path(page.url_path)] if own_paths is None else own_paths
    parents = list(parents) or [page.get_parent()]
    paths = [*own_paths, *(path_for_url_path(parent.url_path) for parent in parents if parent), HOME]
    paths += _hooked_paths(PAGE_PATHS_HOOK, page)
    paths.append(SITEMAP)
    return {"pageId": page.id, "pageType": _page_type(page), "title": page.title, "paths": _unique(paths)}


def moved_page_data(
    page: Page, parent_before: Page, parent_after: Page, url_path_before: str, url_path_after: str
) -> dict:
    """Old and new paths of the page and of every page under it, and both parents' listings."""
    own = [path_for_url_path(url_path_before), path_for_url_path(url_path_after)]
    if url_path_before != url_path_after:
        for url_path in Page.objects.descendant_of(page).values_list("url_path", flat=True):
            old = url_path_before + url_path[len(url_path_after) :]
            own += [path_for_url_path(old), path_for_url_path(url_path)]
    return page_data(page, own_paths=own, parents=[parent_before, parent_after])


def snippet_data(instance: Model) -> dict:
    """`data` for a snippet: home, then what the hooks name (the live pages that show it, the
    listings that show those).

    Navigation menus appear on every page: their `scope` is "site" (revalidate everything).
    """
    scope = "site" if isinstance(instance, NavigationMenu) else "pages"
    paths = [HOME, *(_hooked_paths(SNIPPET_PATHS_HOOK, instance) if instance.pk else ())]
    return {
        "model": instance._meta.label,
        "id": instance.pk,
        "title": str(instance),
        "scope": scope,
        "paths": _unique(paths),
    }


def settings_data(instance: Model) -> dict:
    """Site settings show on every page: scope "site", paths home and the listings."""
    return {
        "model": instance._meta.label,
        "id": instance.pk,
        "title": str(instance),
        "scope": "site",
        "paths": _unique([HOME, *_hooked_paths(SITE_PATHS_HOOK)]),
    }
