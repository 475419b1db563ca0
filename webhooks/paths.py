"""Frontend paths for the content apps' webhook hooks (cms/revalidation.py calls them)."""

from wagtail.models import Page
from wagtail.query import PageQuerySet

from cms.paths import path_for_url_path


def live_paths(pages: PageQuerySet) -> list[str | None]:
    """The frontend paths of the live pages among `pages`, in one query."""
    return [path_for_url_path(url_path) for url_path in pages.live().values_list("url_path", flat=True)]


def listing_path(index_model: type[Page]) -> str | None:
    """The frontend path of the live page of `index_model` (a section's listing), if there is one."""
    index = index_model.objects.live().only("url_path").first()
    return path_for_url_path(index.url_path) if index else None
