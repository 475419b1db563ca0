"""The editors' admin: the navigation menu snippet, listings for news and events, dashboard panels,
and a character counter on limited text fields."""

from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageStatusColumn, PageTitleColumn
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import NavigationMenu
from events.models import EventPage
from news.models import NewsPage

# --- Snippets ---------------------------------------------------------------------------------


class NavigationMenuViewSet(SnippetViewSet):
    model = NavigationMenu
    icon = "list-ul"
    menu_label = "Menus"
    list_display = ["name", "handle"]
    search_fields = ["name", "handle"]
    panels = [
        FieldPanel("name"),
        FieldPanel("handle"),
        InlinePanel("items", label="Menu item", heading="Menu items", help_text="Drag the items into order."),
    ]


register_snippet(NavigationMenuViewSet)

# --- Page listings ----------------------------------------------------------------------------


def _starts(event):
    return f"{timezone.localtime(event.starts_at):%-d %b %Y, %H:%M}" if event.starts_at else "—"


def _published_on(item):
    return f"{item.publication_date:%-d %b %Y}" if item.publication_date else "—"


def _topics(page):
    return ", ".join(topic.name for topic in page.topics.all()) or "—"


EVENT_COLUMNS = [
    PageTitleColumn("title", label="Title", sort_key="title", classname="title"),
    Column("starts_at", label="Starts", accessor=_starts, sort_key="starts_at", width="16%"),
    Column("event_status", label="Event", accessor="get_status_display", sort_key="status", width="10%"),
    PageStatusColumn("status", label="Status", sort_key="live", width="12%"),
]
NEWS_COLUMNS = [
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
]


class EventPageViewSet(PageViewSet):
    """The events index's children in the page explorer: newest start first, with date and status."""

    model = EventPage
    columns = EVENT_COLUMNS
    ordering = "-starts_at"


class NewsPageViewSet(PageViewSet):
    """The news index's children in the page explorer: newest first, with topics."""

    model = NewsPage
    columns = NEWS_COLUMNS
    ordering = "-publication_date"


class EventListingViewSet(PageListingViewSet):
    """“Events” in the admin menu: every event, newest start first."""

    model = EventPage
    icon = "date"
    menu_label = "Events"
    menu_order = 150
    add_to_admin_menu = True
    columns = EVENT_COLUMNS
    ordering = "-starts_at"


class NewsListingViewSet(PageListingViewSet):
    """“News” in the admin menu: every news item, newest first."""

    model = NewsPage
    icon = "doc-full"
    menu_label = "News"
    menu_order = 140
    add_to_admin_menu = True
    columns = NEWS_COLUMNS
    ordering = "-publication_date"


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    return [
        EventPageViewSet(),
        NewsPageViewSet(),
        EventListingViewSet("event_listing"),
        NewsListingViewSet("news_listing"),
    ]


# --- Dashboard --------------------------------------------------------------------------------

# The actions that make a page appear in the user's page explorer (Wagtail's own listings).
EXPLORE_ACTIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


def _visible_to(user, queryset):
    """Only the pages `user` may see in the page explorer (draft titles included, so nothing else),
    with what their status tags read loaded up front rather than per row."""
    visible = queryset.filter(pk__in=page_permission_policy.explorable_instances(user).values("pk"))
    return visible.prefetch_workflow_states().annotate_approved_schedule()


class UpcomingEventsPanel(Component):
    name = "psg_upcoming_events"
    template_name = "cms/admin/upcoming_events_panel.html"
    order = 100

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        upcoming = EventPage.objects.filter(starts_at__gte=timezone.now())
        events = _visible_to(parent_context["request"].user, upcoming)
        context["events"] = events.order_by("starts_at").select_related("venue")[:5]
        return context


class RecentNewsPanel(Component):
    name = "psg_recent_news"
    template_name = "cms/admin/recent_news_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        news = _visible_to(parent_context["request"].user, NewsPage.objects.live())
        context["news"] = news.order_by("-publication_date", "-first_published_at")[:5]
        return context


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    # Someone who may not edit any page (e.g. only manages snippets or users) gets no page panels.
    if not page_permission_policy.user_has_any_permission(request.user, EXPLORE_ACTIONS):
        return
    panels.append(UpcomingEventsPanel())
    panels.append(RecentNewsPanel())


# --- Editor -----------------------------------------------------------------------------------


@hooks.register("insert_editor_js")
def character_counter_js():
    """Shows “123 / 300 characters” under every text box with a limit (the summaries)."""
    return format_html('<script src="{}" defer></script>', static("cms/character-count.js"))
