"""The news admin: the News listing in the menu, the news index's explorer columns (both filterable by
topic, publishing status and date, with bulk actions), a dashboard panel."""

from django.forms import CheckboxSelectMultiple, RadioSelect
from django_filters import DateFromToRangeFilter, ModelMultipleChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet

from api.graphql.listings import Listing, register_listing
from api.graphql.registry import register_root_query
from cms.dashboard import may_explore_pages, visible_to
from cms.publishing_status import GoLiveColumn, GoLiveListingMixin, PublishingStatusFilter
from news.models import NewsPage, Topic
from news.queries import news_items
from news.schema import NewsPageType, NewsQuery


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
