"""The events admin (the Events listing in the menu, the events index's explorer columns, both
filterable by publishing status, event status and date, with bulk actions; a dashboard panel; venues
as snippets that can be added from an event's form), when events' listings change by the clock
alone, and the paths an events change shows on."""

from django.contrib import messages
from django.forms import RadioSelect
from django.urls import reverse
from django.utils import timezone
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import get_form_for_model
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from api.edge_cache import register_purged_paths
from api.graphql.listings import Listing, register_listing
from api.graphql.registry import register_root_query
from api.visibility import CLOCK_TRANSITIONS_HOOK
from cms.dashboard import may_explore_pages, visible_to
from cms.publishing_status import GoLiveColumn, GoLiveListingMixin, PublishingStatusFilter
from events import registration_admin  # noqa: F401  (the registrations admin registers itself)
from events.models import EventIndexPage, EventPage, Venue
from events.queries import ended_between, next_listing_change, next_registration_change, upcoming_events
from events.registering import announced
from events.schema import EventPageType, EventsQuery
from webhooks.paths import listing_path, live_paths


def _starts(event):
    return f"{timezone.localtime(event.starts_at):%-d %b %Y, %H:%M}" if event.starts_at else "—"


EVENT_COLUMNS = [
    BulkActionsColumn("bulk_actions"),
    PageTitleColumn("title", label="Title", sort_key="title", classname="title"),
    Column("starts_at", label="Starts", accessor=_starts, sort_key="starts_at", width="16%"),
    Column(
        "event_status", label="Event status", accessor="get_status_display", sort_key="status", width="10%"
    ),
    PageStatusColumn("status", label="Status", sort_key="live", width="12%"),
    GoLiveColumn(width="14%"),
]


class EventFilterSet(WagtailFilterSet):
    """Publishing status, the event's own status (postponed, cancelled) and when it starts."""

    publishing = PublishingStatusFilter(widget=RadioSelect)
    event_status = ChoiceFilter(
        label="Event status",
        choices=EventPage.Status.choices,
        empty_label="Any",
        method="filter_event_status",
    )
    starts_at = DateFromToRangeFilter(label="Starts", widget=DateRangePickerWidget)

    class Meta:
        model = EventPage
        fields: list[str] = []

    def filter_event_status(self, pages, name, status):
        # By id: the admin's search backend cannot filter on a field the page type does not index.
        return pages.filter(pk__in=EventPage.objects.filter(status=status).values("pk")) if status else pages


class EventIndexView(GoLiveListingMixin, IndexView):
    """The Events listing, each event with its go-live time."""


class EventExplorableIndexView(GoLiveListingMixin, ExplorableIndexView):
    """The events index in the explorer, each event with its go-live time."""


class EventPageViewSet(PageViewSet):
    """The events index's children in the page explorer: newest start first, with date and status."""

    model = EventPage
    index_view_class = EventExplorableIndexView
    columns = EVENT_COLUMNS
    filterset_class = EventFilterSet
    ordering = "-starts_at"


class EventListingViewSet(PageListingViewSet):
    """“Events” in the admin menu: every event, newest start first."""

    model = EventPage
    icon = "date"
    menu_label = "Events"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = EventIndexView
    columns = EVENT_COLUMNS
    filterset_class = EventFilterSet
    ordering = "-starts_at"


class VenueCreateView(SnippetCreateView):
    """Adds a venue from the chooser, recorded in its history like one added under Snippets."""

    def save_form(self, form):
        venue = super().save_form(form)
        log(instance=venue, action="wagtail.create", user=self.request.user)
        return venue


class VenueChooserViewSet(SnippetChooserViewSet):
    """The event form's venue chooser, with an “Add a venue” tab for those who may add venues."""

    create_view_class = VenueCreateView
    creation_form_class = get_form_for_model(
        Venue, fields=["name", "address_line_1", "address_line_2", "city", "postcode", "country", "url"]
    )
    creation_tab_label = "Add a venue"
    create_action_label = "Add venue"


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    chooser_viewset_class = VenueChooserViewSet


register_snippet(VenueViewSet)


@hooks.register("register_admin_viewset")
def register_event_viewsets():
    return [EventPageViewSet(), EventListingViewSet("event_listing")]


class UpcomingEventsPanel(Component):
    """The next five events the user may see, on the dashboard."""

    name = "psg_upcoming_events"
    template_name = "events/admin/upcoming_events_panel.html"
    order = 100

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        upcoming = EventPage.objects.filter(starts_at__gte=timezone.now())
        events = visible_to(parent_context["request"].user, upcoming)
        context["events"] = events.order_by("starts_at").select_related("venue")[:5]
        return context


@hooks.register("after_publish_page")
def say_who_is_emailed(request, page):
    """After the admin's Publish: how many people registered are being told it is called off."""
    event_id, told = getattr(announced, "told", None) or (None, 0)
    announced.told = None
    if event_id != page.pk or not told:
        return
    people = "1 person registered" if told == 1 else f"{told} people registered"
    messages.success(
        request,
        f"{people} for “{page.title}” {'is' if told == 1 else 'are'} being emailed that it is "
        f"{page.specific.get_status_display().lower()}.",
    )


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    if may_explore_pages(request.user):
        panels.append(UpcomingEventsPanel())


hooks.register(CLOCK_TRANSITIONS_HOOK, next_listing_change)
hooks.register(CLOCK_TRANSITIONS_HOOK, next_registration_change)
register_root_query(EventsQuery, order=20)
register_listing(
    Listing("upcoming_events", item_type=EventPageType, items=lambda limit: upcoming_events()[:limit])
)


# --- Publish webhooks: the paths a change to events shows on (docs/webhooks.md) -----------------


@hooks.register("webhook_paths_for_snippet")
def events_at_a_venue(instance):
    """The live events at a venue and the events listing (which shows each event's venue)."""
    if not isinstance(instance, Venue):
        return []
    return [*live_paths(EventPage.objects.filter(venue=instance)), listing_path(EventIndexPage)]


# An explicit order: hooks otherwise run in import order, which a test run can change; the
# site-wide listings come news first, then events, before any other app's paths.
@hooks.register("webhook_paths_for_clock")
def events_that_ended(since, now):
    """Events the clock moved from upcoming to past: their pages and the listing (home's listing of
    upcoming events is named with every such change)."""
    pages = ended_between(since, now)
    return [*live_paths(pages), listing_path(EventIndexPage)] if pages.exists() else []


@hooks.register("webhook_paths_for_site", order=-1)
def events_listing():
    return [listing_path(EventIndexPage)]


# --- The HTTP cache tier (api/edge_cache.py) ----------------------------------------------------


# The calendars list events and their venues: the tier forgets the feed and every event's file
# (`/feeds/events*`, a prefix for Varnish and CloudFront) on every content change.
def _calendar_paths():
    feed = reverse("events-ical-feed")
    return [feed, feed.removesuffix(".ics") + "*"]


register_purged_paths(_calendar_paths)


@hooks.register("before_edit_page")
@hooks.register("before_create_page")
def forget_what_was_announced(request, *args):
    # The count is handed from the publish to this request's message through the thread: a thread
    # serves other requests (a workflow's approval publishes with no message), so each editor's
    # request starts with none.
    announced.told = None
