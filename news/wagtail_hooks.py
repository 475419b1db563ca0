"""Wagtail hooks of the news app."""

from wagtail import hooks

from news.models import NewsIndexPage, NewsPage, Topic
from webhooks.paths import listing_path, live_paths

# --- Publish webhooks: the paths a change to news shows on (docs/webhooks.md) -------------------

NEWS_FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]


@hooks.register("webhook_paths_for_page")
def news_feeds_for_news_pages(page):
    """The feeds list the news items, and follow the news index's slug."""
    if issubclass(page.specific_class or type(page), (NewsPage, NewsIndexPage)):
        return NEWS_FEEDS
    return []


@hooks.register("webhook_paths_for_snippet")
def news_filed_under_a_topic(instance):
    """The live news filed under a topic, the news listing and the feeds (which show topics)."""
    if not isinstance(instance, Topic):
        return []
    pages = NewsPage.objects.filter(tagged_topics__tag=instance).distinct()
    return [*live_paths(pages), listing_path(NewsIndexPage), *NEWS_FEEDS]


@hooks.register("webhook_paths_for_site")
def news_listing():
    return [listing_path(NewsIndexPage)]
