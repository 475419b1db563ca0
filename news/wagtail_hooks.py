"""The news admin (the News listing in the menu, the news index's explorer columns, both filterable
by topic, publishing status and date, with bulk actions; a dashboard panel; topics as snippets), the
paths a news change shows on, and what the HTTP cache tier forgets on any change."""

from typing import Any

from django.forms import CheckboxSelectMultiple, RadioSelect
from django.http import HttpRequest
from django.urls import reverse
from django_filters import DateFromToRangeFilter, ModelMultipleChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from api.edge_cache import register_purged_paths
from api.graphql.listings import Listing, register_listing
from api.graphql.persisted import register_persisted_query
from api.graphql.registry import register_root_query
from cms.dashboard import may_explore_pages, visible_to
from cms.deletion_warnings import warn_on_delete
from cms.publishing_status import GoLiveColumn, GoLiveListingMixin, PublishingStatusFilter
from news.embed import WIDGET_QUERY
from news.models import NewsIndexPage, NewsPage, Topic
from news.queries import news_items
from news.schema import NewsPageType, NewsQuery
from webhooks.paths import listing_path, live_paths


def _published_on(item):
    return f"{item.publication_date:%-d %b %Y}" if item.publication_date else "—"


def _topics(page):
    return ", ".join(topic.name for topic in page.topics.all()) or "—"


NEWS_COLUMNS = [
    BulkActionsColumn("bulk_actions"),
    PageTitleColumn("title", label="Title", sort_key="title", classname="title"),
    Column(
        "publication_date",
        label="Published on",
        accessor=_published_on,
        sort_key="publication_date",
        width="14%",
    ),
    Column("topics", label="Topics", accessor=_topics, width="20%"),
    PageStatusColumn("status", label="Status", sort_key="live", width="12%"),
    GoLiveColumn(width="14%"),
]


class NewsFilterSet(WagtailFilterSet):
    """Topic, publishing status and publication date."""

    topics = ModelMultipleChoiceFilter(
        label="Topic",
        queryset=lambda request: Topic.objects.order_by("name"),
        widget=CheckboxSelectMultiple,
        method="filter_topics",
    )
    publishing = PublishingStatusFilter(widget=RadioSelect)
    publication_date = DateFromToRangeFilter(label="Publication date", widget=DateRangePickerWidget)

    class Meta:
        model = NewsPage
        fields: list[str] = []

    def filter_topics(self, pages, name, topics):
        # By id: the admin's search backend cannot filter on the topics relation.
        if not topics:
            return pages
        return pages.filter(pk__in=NewsPage.objects.filter(topics__in=topics).values("pk"))


class NewsIndexView(GoLiveListingMixin, IndexView):
    """The News listing, each item with its go-live time."""


class NewsExplorableIndexView(GoLiveListingMixin, ExplorableIndexView):
    """The news index in the explorer, each item with its go-live time."""


class NewsPageViewSet(PageViewSet):
    """The news index's children in the page explorer: newest first, with topics."""

    model = NewsPage
    index_view_class = NewsExplorableIndexView
    columns = NEWS_COLUMNS
    filterset_class = NewsFilterSet
    ordering = "-publication_date"


class NewsListingViewSet(PageListingViewSet):
    """“News” in the admin menu: every news item, newest first."""

    model = NewsPage
    icon = "doc-full"
    menu_label = "News"
    menu_order = 140
    add_to_admin_menu = True
    index_view_class = NewsIndexView
    columns = NEWS_COLUMNS
    filterset_class = NewsFilterSet
    ordering = "-publication_date"


class TopicViewSet(SnippetViewSet):
    """Topics under Snippets: a name is all an editor gives (the slug follows from it)."""

    model = Topic
    icon = "tag"
    list_display = ["name"]
    panels = [FieldPanel("name", help_text="As readers see it, e.g. “Human rights”.")]


register_snippet(TopicViewSet)


@hooks.register("register_admin_viewset")
def register_news_viewsets():
    return [NewsPageViewSet(), NewsListingViewSet("news_listing")]


class RecentNewsPanel(Component):
    """The five latest published news items the user may see, on the dashboard."""

    name = "psg_recent_news"
    template_name = "news/admin/recent_news_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        news = visible_to(parent_context["request"].user, NewsPage.objects.live())
        context["news"] = news.order_by("-publication_date", "-first_published_at")[:5]
        return context


@hooks.register("construct_homepage_panels")
def add_recent_news_panel(request, panels):
    if may_explore_pages(request.user):
        panels.append(RecentNewsPanel())


register_root_query(NewsQuery, order=10)
register_listing(Listing("latest_news", item_type=NewsPageType, items=lambda limit: news_items()[:limit]))


register_persisted_query(WIDGET_QUERY)


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


# An explicit order: hooks otherwise run in import order, which a test run can change; the
# site-wide listings come news first, then events, before any other app's paths.
@hooks.register("webhook_paths_for_site", order=-2)
def news_listing():
    return [listing_path(NewsIndexPage)]


# --- The HTTP cache tier (api/edge_cache.py) ----------------------------------------------------

# The feeds and the embed page list the latest news: the tier forgets them (every topic and option
# in their query strings) on every content change, as it does GraphQL answers.
FEED_AND_EMBED_URL_NAMES = ("news-feed-rss", "news-feed-atom", "news-feed-json", "news-embed")
register_purged_paths(lambda: [reverse(name) for name in FEED_AND_EMBED_URL_NAMES])


@hooks.register("before_delete_snippet")
def warn_of_topics_leaving_news(request: HttpRequest, instances: list[Any]) -> None:
    topics = [instance for instance in instances if isinstance(instance, Topic)]
    if not topics:
        return
    filed = NewsPage.objects.filter(tagged_topics__tag__in=topics).distinct().order_by("-publication_date")
    names = list(filed.values_list("title", flat=True))
    noun = "news item" if len(names) == 1 else f"{len(names)} news items"
    warn_on_delete(request, f"its topic from the {noun}, live ones included", names)
