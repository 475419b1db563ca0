"""GraphQL for events: venues, prices, registration, programme, and the upcoming/past listing."""

import datetime

import graphene
from django.utils import timezone

from api.graphql.enums import described
from api.graphql.errors import UserInputError
from api.graphql.page_types import page_type
from api.graphql.pagination import PaginationInfo, paginate, pagination_arguments
from api.input_rules import MAX_DATE, MIN_DATE, date_in_range
from api.prefetch import prepare_pages
from api.visibility import request_now
from cms.listing_columns import EDITING_COLUMNS, leave_out
from cms.sanitise import safe_url
from events.models import EventPage
from events.queries import london_day_bounds, past_events, upcoming_events
from events.registering import closed_reason, places_left


def EventPageType():  # noqa: N802 - a lazy type reference, named like the type it returns
    return page_type(EventPage)


EventStatus = graphene.Enum.from_enum(
    EventPage.Status,
    description=described(
        "Whether an event goes ahead as planned.",
        {
            "SCHEDULED": "Going ahead as announced.",
            "POSTPONED": "Not on its date; a new one is announced on the page when known. Still listed.",
            "CANCELLED": "Called off. Still listed, so readers who look for it learn so.",
        },
    ),
)


class VenueType(graphene.ObjectType):
    """A place PSG holds events, with a structured address."""

    class Meta:
        name = "Venue"

    id = graphene.ID(required=True, description="The venue's id.")
    name = graphene.String(required=True, description="E.g. “UCL Global Governance Institute”.")
    address_lines = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Street address lines, in order."
    )
    city = graphene.String(required=True, description="City or town; may be empty.")
    postcode = graphene.String(required=True, description="Postcode; may be empty.")
    country = graphene.String(required=True, description="Country name.")
    url = graphene.String(description="The venue's website, if any.")

    @staticmethod
    def resolve_url(venue, info):
        return safe_url(venue.url)


class TicketPriceType(graphene.ObjectType):
    """A ticket price as an amount and a currency."""

    class Meta:
        name = "TicketPrice"

    label = graphene.String(required=True, description="Who pays this, e.g. “Non-members”.")
    amount = graphene.Decimal(required=True, description='The amount as a decimal string, e.g. "13.00".')
    currency = graphene.String(required=True, description="ISO 4217 currency code, e.g. GBP.")


class RegistrationType(graphene.ObjectType):
    """How to register for an event: by email, at a URL, or with the event's own form (`viaForm`:
    send it with `submitForm` on the event's path). Counts only: never who has registered."""

    class Meta:
        name = "Registration"

    required = graphene.Boolean(required=True, description="Whether people must register.")
    email = graphene.String(description="Address to register by email.")
    url = graphene.String(description="Registration form URL.")
    deadline = graphene.DateTime(description="Last moment to register, with its London offset.")
    note = graphene.String(description="E.g. “Please register your attendance in advance if possible.”")
    via_form = graphene.Boolean(
        required=True,
        description="Whether the event takes registrations with its own form (the page's `form`, sent with "
        "`submitForm`).",
    )
    is_open = graphene.Boolean(
        required=True,
        description="Whether the form takes registrations now (open, not past its close, the event going "
        "ahead). A full event with a waiting list is still open.",
    )
    closed_reason = graphene.String(
        description="Why the form takes no registrations now, as a sentence to show; null while open."
    )
    opens_at = graphene.DateTime(
        description="When the form opens, with its London offset; null if it opened with the page."
    )
    closes_at = graphene.DateTime(
        description="When the form closes (the deadline, else the start), with its London offset; null "
        "without a form."
    )
    capacity = graphene.Int(description="How many places there are; null for no limit (or no form).")
    places_left = graphene.Int(description="Places not yet taken; null for no limit (or no form).")
    waiting_list = graphene.Boolean(
        required=True, description="Whether people who register once it is full join a waiting list."
    )

    @staticmethod
    def resolve_required(event, info):
        return event.registration_required

    @staticmethod
    def resolve_email(event, info):
        return event.registration_email or None

    @staticmethod
    def resolve_url(event, info):
        return safe_url(event.registration_url)

    @staticmethod
    def resolve_deadline(event, info):
        return timezone.localtime(event.registration_deadline) if event.registration_deadline else None

    @staticmethod
    def resolve_note(event, info):
        return event.registration_note or None

    @staticmethod
    def resolve_via_form(event, info):
        return event.registration_form

    @staticmethod
    def resolve_is_open(event, info):
        return closed_reason(event, request_now()) is None

    @staticmethod
    def resolve_closed_reason(event, info):
        return closed_reason(event, request_now()) if event.registration_form else None

    @staticmethod
    def resolve_opens_at(event, info):
        opens = event.registration_opens_at if event.registration_form else None
        return timezone.localtime(opens) if opens else None

    @staticmethod
    def resolve_closes_at(event, info):
        return timezone.localtime(event.registration_closes_at) if event.registration_form else None

    @staticmethod
    def resolve_capacity(event, info):
        return event.registration_capacity if event.registration_form else None

    @staticmethod
    def resolve_places_left(event, info):
        return places_left(event) if event.registration_form else None

    @staticmethod
    def resolve_waiting_list(event, info):
        return bool(event.registration_form and event.registration_waiting_list)


class ProgrammeItemType(graphene.ObjectType):
    """A moment in an event's programme."""

    class Meta:
        name = "ProgrammeItem"

    time = graphene.String(required=True, description="London time of day, `HH:MM`.")
    starts_at = graphene.DateTime(
        required=True, description="The same moment as a full ISO 8601 datetime with offset."
    )
    title = graphene.String(required=True, description="E.g. “Registration and coffee”.")
    detail = graphene.String(description="Speakers, room or a line of description.")

    @staticmethod
    def resolve_time(item, info):
        return item.time.strftime("%H:%M")

    @staticmethod
    def resolve_starts_at(item, info):
        day = timezone.localtime(item.page.starts_at).date()
        return datetime.datetime.combine(day, item.time, tzinfo=timezone.get_default_timezone())

    @staticmethod
    def resolve_detail(item, info):
        return item.detail or None


class EventTimeframe(graphene.Enum):
    """Which events to list."""

    UPCOMING = "upcoming"
    PAST = "past"

    @property
    def description(self):
        if self == EventTimeframe.UPCOMING:
            return "Events that have not yet ended, soonest first."
        return "Events that have ended, most recent first."


class EventConnection(graphene.ObjectType):
    """One page of events with the totals."""

    items = graphene.List(graphene.NonNull(EventPageType), required=True, description="The events.")
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")


class EventsQuery(graphene.ObjectType):
    events = graphene.Field(
        EventConnection,
        required=True,
        description="Public events: upcoming ones soonest first, or past ones most recent first.",
        timeframe=graphene.Argument(
            EventTimeframe, default_value="upcoming", description="UPCOMING (default) or PAST."
        ),
        starts_from=graphene.Date(description="Only events starting on or after this day (London)."),
        starts_until=graphene.Date(description="Only events starting on or before this day (London)."),
        **pagination_arguments(),
    )

    @staticmethod
    def resolve_events(root, info, timeframe, page, page_size, starts_from=None, starts_until=None):
        timeframe = getattr(timeframe, "value", timeframe)
        qs = upcoming_events() if timeframe == "upcoming" else past_events()
        # The view refuses these before execution; checked again where the day arithmetic happens.
        for argument, day in (("startsFrom", starts_from), ("startsUntil", starts_until)):
            if day is not None and not date_in_range(day):
                raise UserInputError(
                    f"`{argument}` must be a date from {MIN_DATE} to {MAX_DATE}.", argument=argument
                )
        if starts_from and starts_until and starts_from > starts_until:
            raise UserInputError("`startsFrom` must not be after `startsUntil`.", argument="startsFrom")
        if starts_from:
            qs = qs.filter(starts_at__gte=london_day_bounds(starts_from)[0])
        if starts_until:
            qs = qs.filter(starts_at__lt=london_day_bounds(starts_until)[1])
        # Bodies and Wagtail's editing columns load only if a client reads them, for the whole page.
        items, pagination = paginate(leave_out(qs, "body", *EDITING_COLUMNS), page, page_size)
        return EventConnection(items=prepare_pages(items), pagination=pagination)
