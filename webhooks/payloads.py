"""What a webhook says: the event type and every frontend path whose content it may have changed.

The paths (the page, its listings, home, the pages that refer to it, the feeds and sitemap) are
worked out by `cms.revalidation`, which the HTTP cache tier's purges share; the content apps add
theirs through the Wagtail hooks described there (`webhook_paths_for_page`,
`webhook_paths_for_snippet`, `webhook_paths_for_site`). This module names no content app.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone
from wagtail.models import Page

from cms import revalidation

PAGE_PUBLISHED = "page.published"
PAGE_UNPUBLISHED = "page.unpublished"
PAGE_MOVED = "page.moved"
PAGE_DELETED = "page.deleted"
PAGE_PRIVACY_CHANGED = "page.privacy_changed"
SNIPPET_CHANGED = "snippet.changed"
SETTINGS_CHANGED = "settings.changed"
IMAGE_CHANGED = "image.changed"
DOCUMENT_CHANGED = "document.changed"
MEDIA_PRIVACY_CHANGED = "media.privacy_changed"
SCHEDULE_REACHED = "schedule.reached"

HOME = revalidation.HOME
SITEMAP = revalidation.SITEMAP

PAGE_PATHS_HOOK = revalidation.PAGE_PATHS_HOOK
SNIPPET_PATHS_HOOK = revalidation.SNIPPET_PATHS_HOOK
SITE_PATHS_HOOK = revalidation.SITE_PATHS_HOOK


def message(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def _page_type(page: Page) -> str:
    # The class name, which is also the page's GraphQL __typename (NewsPage, EventPage…).
    return (page.specific_class or type(page)).__name__


def _page(page: Page, paths: revalidation.Paths) -> dict:
    return {
        "pageId": page.id,
        "pageType": _page_type(page),
        "title": page.title,
        "scope": paths.scope,
        "paths": paths.paths,
    }


def _object(instance: Model, paths: revalidation.Paths) -> dict:
    return {
        "model": instance._meta.label,
        "id": instance.pk,
        "title": str(instance),
        "scope": paths.scope,
        "paths": paths.paths,
    }


def page_data(page: Page, *, own_paths: list[str | None] | None = None, parents: Iterable[Page] = ()) -> dict:
    """`data` for a page event. `own_paths` replaces the page's current path (moves, deletions);
    `parents` are the parent pages whose listings show it (the current parent when empty)."""
    return _page(page, revalidation.page_paths(page, own_paths=own_paths, parents=parents))


def moved_page_data(
    page: Page, parent_before: Page, parent_after: Page, url_path_before: str, url_path_after: str
) -> dict:
    """Old and new paths of the page and of every page under it, and both parents' listings."""
    paths = revalidation.moved_paths(page, parent_before, parent_after, url_path_before, url_path_after)
    return _page(page, paths)


def privacy_data(page: Page) -> dict:
    """A view restriction added to or removed from `page`: its whole subtree appears or vanishes."""
    return _page(page, revalidation.privacy_paths(page))


def snippet_data(instance: Model) -> dict:
    """`data` for a snippet: home, then the live pages that show it (those the apps' hooks name and
    those that refer to it), and the listings that show those.

    Navigation menus appear on every page: their `scope` is "site" (revalidate everything).
    """
    return _object(instance, revalidation.snippet_paths(instance))


def settings_data(instance: Model) -> dict:
    """Site settings show on every page: scope "site", paths home and the listings."""
    return _object(instance, revalidation.site_paths())


def media_data(instance: Model, paths: revalidation.Paths) -> dict:
    """`data` for an image, a document or a collection: the live pages that show it."""
    return _object(instance, paths)


def schedule_data(since: datetime, until: datetime, paths: revalidation.Paths) -> dict:
    """`data` when the clock alone changed what the frontend shows (an event ended) between two
    moments."""
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "scope": paths.scope,
        "paths": paths.paths,
    }
