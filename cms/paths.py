"""Frontend paths and URLs of pages, computed without a query per page."""

from typing import TypedDict, overload

from django.conf import settings
from wagtail.models import Page, Site
from wagtail.models.sites import SiteRootPath

from cms.generation import current_generation
from cms.request_cache import memoised


class _ProcessRoots(TypedDict):
    generation: str | None
    roots: list[SiteRootPath]


# Sites change rarely, and every change bumps the content generation (cms.generation).
_process_roots: _ProcessRoots = {"generation": None, "roots": []}


def site_root_paths() -> list[SiteRootPath]:
    """(site id, root url_path, root url) for every site: read once per content generation by each
    process (Wagtail's own cache costs a round trip per request), and once per API request."""

    def read() -> list[SiteRootPath]:
        generation = current_generation()
        if _process_roots["generation"] != generation:
            _process_roots.update({"generation": generation, "roots": Site.get_site_root_paths()})
        return _process_roots["roots"]

    roots: list[SiteRootPath] = memoised("site_root_paths", read)
    return roots


def frontend_path(page: Page) -> str | None:
    """The path a page has on the public frontend: `/news/loreto-oil-spills-conflict-continues/`."""
    return path_for_url_path(page.url_path)


def path_for_url_path(url_path: str | None) -> str | None:
    """The frontend path for a Wagtail `url_path` (which starts with the site root's slug)."""
    if url_path is None:
        return None
    for root in site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


# A path always gives a URL: callers that have one need not check for None.
@overload
def frontend_url(path: str) -> str: ...
@overload
def frontend_url(path: None) -> None: ...
@overload
def frontend_url(path: str | None) -> str | None: ...
def frontend_url(path: str | None) -> str | None:
    """An absolute URL on the frontend for a frontend path (the path alone when none is configured)."""
    if path is None:
        return None
    return f"{settings.FRONTEND_URL}{path}" if settings.FRONTEND_URL else path
