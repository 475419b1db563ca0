"""Frontend paths and URLs of pages, computed without a query per page."""

from django.conf import settings
from wagtail.models import Site

from cms.generation import current_generation
from cms.request_cache import memoised

# Sites change rarely, and every change bumps the content generation (cms.generation).
_process_roots = {"generation": None, "roots": None}


def site_root_paths():
    """(site id, root url_path, root url) for every site: read once per content generation by each
    process (Wagtail's own cache costs a round trip per request), and once per API request."""

    def read():
        generation = current_generation()
        if _process_roots["generation"] != generation:
            _process_roots.update(generation=generation, roots=Site.get_site_root_paths())
        return _process_roots["roots"]

    return memoised("site_root_paths", read)


def frontend_path(page):
    """The path a page has on the public frontend: `/news/loreto-oil-spills-conflict-continues/`."""
    return path_for_url_path(page.url_path)


def path_for_url_path(url_path):
    """The frontend path for a Wagtail `url_path` (which starts with the site root's slug)."""
    if url_path is None:
        return None
    for root in site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def frontend_url(path):
    """An absolute URL on the frontend for a frontend path (the path alone when none is configured)."""
    if path is None:
        return None
    return f"{settings.FRONTEND_URL}{path}" if settings.FRONTEND_URL else path
