"""The editors' admin: the navigation menu snippet, listings for news and events, dashboard panels,
and a character counter on limited text fields."""

from django.db.models import Q
from django.http import Http404
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageStatusColumn, PageTitleColumn
from wagtail.admin.views import chooser
from wagtail.admin.views.bulk_action.base_bulk_action import BulkAction
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from api.visibility import public_pages
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


# --- Page chooser and bulk actions --------------------------------------------------------------
# Wagtail's page chooser lists every page, drafts by their draft titles, to anyone who may use the
# admin, and its bulk-action pages name the pages given by id that the user may not act on. Here
# both show only what the user could see anyway: pages in their page explorer, and public pages
# (which anyone may link to). Editors with rights over the whole tree see everything, as before.


def _explorable_ids(user, pages):
    if user.is_active and user.is_superuser:
        return {page.pk for page in pages}
    explorable = page_permission_policy.explorable_instances(user)
    return set(explorable.filter(pk__in=[page.pk for page in pages]).values_list("pk", flat=True))


def show_live_titles(user, pages):
    """Pages `user` may not explore show their published title, never a draft's new title."""
    pages = [page for page in pages if isinstance(page, Page)]
    explorable = _explorable_ids(user, pages) if pages else set()
    for page in pages:
        if page.pk not in explorable and page.depth > 1:
            page.draft_title = page.title


def pages_visible_to(user, pages):
    """`pages` less those `user` may neither explore nor see on the public site."""
    if user.is_active and user.is_superuser:
        return pages
    explorable = page_permission_policy.explorable_instances(user).values("pk")
    return pages.filter(Q(depth=1) | Q(pk__in=explorable) | Q(pk__in=public_pages().values("pk")))


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_only_visible_pages(pages, request):
    return pages_visible_to(request.user, pages)


_browse_object_list = chooser.BrowseView.get_object_list


def _browse_visible_parent(self):
    # The parent's title heads the listing: a hidden parent given by id answers like a missing one;
    # one Wagtail picked itself (the common ancestor of a page type) gives way to the root.
    if not pages_visible_to(self.request.user, Page.objects.filter(pk=self.parent_page.pk)).exists():
        if self.request.resolver_match and self.request.resolver_match.kwargs.get("parent_page_id"):
            raise Http404
        self.parent_page = Page.get_first_root_node().specific
    return _browse_object_list(self)


chooser.BrowseView.get_object_list = _browse_visible_parent

_chosen_multiple_get = chooser.ChosenMultipleView.get


def _chosen_multiple_visible(self, request):
    visible = pages_visible_to(request.user, Page.objects.filter(pk__in=_digits(request.GET.getlist("id"))))
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
    request.GET = query
    live_titles = dict(
        Page.objects.filter(pk__in=visible.values("pk"))
        .exclude(pk__in=_explorable_ids(request.user, list(visible)))
        .values_list("pk", "title")
    )
    render = self.render_chosen_response

    def render_with_live_titles(result):
        for item in result:
            item["adminTitle"] = live_titles.get(item["id"], item["adminTitle"])
        return render(result)

    self.render_chosen_response = render_with_live_titles
    return _chosen_multiple_get(self, request)


chooser.ChosenMultipleView.get = _chosen_multiple_visible

_chooser_table_context = chooser.PageChooserTable.get_context_data


def _chooser_table_with_live_titles(self, parent_context):
    show_live_titles(parent_context["request"].user, self.data)
    return _chooser_table_context(self, parent_context)


chooser.PageChooserTable.get_context_data = _chooser_table_with_live_titles


def _digits(values):
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 11]


_actionable_objects = BulkAction.get_actionable_objects


def _actionable_objects_without_hidden(self):
    # Items the user may not act on are listed by title; keep only pages the user may see, and
    # answer like a missing id when nothing is left.
    objects, extra = _actionable_objects(self)
    refused = extra.get("items_with_no_access", [])
    if isinstance(self, PageBulkAction) and refused:
        visible = _explorable_ids(self.request.user, refused)
        refused = [page for page in refused if page.pk in visible]
    else:
        refused = []
    if not objects and not refused:
        raise Http404
    return objects, {**extra, "items_with_no_access": refused}


BulkAction.get_actionable_objects = _actionable_objects_without_hidden


# --- Editor -----------------------------------------------------------------------------------


@hooks.register("insert_editor_js")
def character_counter_js():
    """Shows “123 / 300 characters” under every text box with a limit (the summaries)."""
    return format_html('<script src="{}" defer></script>', static("cms/character-count.js"))
