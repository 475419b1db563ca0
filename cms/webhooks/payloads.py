"""What a webhook says: the event type and every frontend path whose content it may have changed."""

from django.utils import timezone
from wagtail.models import Page

from cms.paths import path_for_url_path

PAGE_PUBLISHED = "page.published"
PAGE_UNPUBLISHED = "page.unpublished"
PAGE_MOVED = "page.moved"
PAGE_DELETED = "page.deleted"
SNIPPET_CHANGED = "snippet.changed"
SETTINGS_CHANGED = "settings.changed"

HOME = "/"
SITEMAP = "/sitemap.xml"
NEWS_FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]


def message(event_type, data):
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def _unique(paths):
    return list(dict.fromkeys(path for path in paths if path))


def _is_news(page_class):
    from news.models import NewsIndexPage, NewsPage

    return issubclass(page_class, (NewsPage, NewsIndexPage))


def _listing_path(model):
    """The frontend path of the live index page of `model` (the news or events listing), if any."""
    index = model.objects.live().only("url_path").first()
    return path_for_url_path(index.url_path) if index else None


def _page_type(page):
    # The class name, which is also the page's GraphQL __typename (NewsPage, EventPage…).
    return (page.specific_class or type(page)).__name__


def page_data(page, *, own_paths=None, parents=()):
    """`data` for a page event. `own_paths` replaces the page's current path (moves, deletions);
    `parents` are the parent pages whose listings show it (the current parent when empty)."""
    own_paths = [path_for_url_path(page.url_path)] if own_paths is None else own_paths
    parents = list(parents) or [page.get_parent()]
    paths = [*own_paths, *(path_for_url_path(parent.url_path) for parent in parents if parent), HOME]
    if _is_news(page.specific_class or type(page)):
        paths += NEWS_FEEDS
    paths.append(SITEMAP)
    return {"pageId": page.id, "pageType": _page_type(page), "title": page.title, "paths": _unique(paths)}


def moved_page_data(page, parent_before, parent_after, url_path_before, url_path_after):
    """Old and new paths of the page and of every page under it, and both parents' listings."""
    own = [path_for_url_path(url_path_before), path_for_url_path(url_path_after)]
    if url_path_before != url_path_after:
        for url_path in Page.objects.descendant_of(page).values_list("url_path", flat=True):
            old = url_path_before + url_path[len(url_path_after) :]
            own += [path_for_url_path(old), path_for_url_path(url_path)]
    return page_data(page, own_paths=own, parents=[parent_before, parent_after])


def snippet_data(instance):
    """`data` for a snippet: the live pages that show it, the listings that show those, and home.

    Navigation menus appear on every page: their `scope` is "site" (revalidate everything).
    """
    from cms.models import NavigationMenu
    from events.models import EventIndexPage, EventPage, Venue
    from news.models import NewsIndexPage, NewsPage, Topic

    paths, scope = [], "pages"
    if isinstance(instance, Venue) and instance.pk:
        pages = EventPage.objects.live().filter(venue=instance)
        paths += [path_for_url_path(p) for p in pages.values_list("url_path", flat=True)]
        paths.append(_listing_path(EventIndexPage))
    elif isinstance(instance, Topic) and instance.pk:
        pages = NewsPage.objects.live().filter(tagged_topics__tag=instance).distinct()
        paths += [path_for_url_path(p) for p in pages.values_list("url_path", flat=True)]
        paths += [_listing_path(NewsIndexPage), *NEWS_FEEDS]
    elif isinstance(instance, NavigationMenu):
        scope = "site"
    paths.insert(0, HOME)
    return {
        "model": instance._meta.label,
        "id": instance.pk,
        "title": str(instance),
        "scope": scope,
        "paths": _unique(paths),
    }


def settings_data(instance):
    """Site settings show on every page: scope "site", paths home and the listings."""
    from events.models import EventIndexPage
    from news.models import NewsIndexPage

    paths = [HOME, _listing_path(NewsIndexPage), _listing_path(EventIndexPage)]
    return {
        "model": instance._meta.label,
        "id": instance.pk,
        "title": str(instance),
        "scope": "site",
        "paths": _unique(paths),
    }
