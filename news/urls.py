"""Partner-facing URLs: news feeds (mounted at /feeds/) and embeddable news (mounted at /embed/)."""

from django.urls import path

from news import embed, feeds

feed_urlpatterns = [
    path("news.rss", feeds.rss_feed, name="news-feed-rss"),
    path("news.atom", feeds.atom_feed, name="news-feed-atom"),
    path("news.json", feeds.json_feed, name="news-feed-json"),
]

embed_urlpatterns = [
    path("news/", embed.news_iframe, name="news-embed"),
    path("news.js", embed.news_widget_js, name="news-embed-js"),
]
