"""Events as iCalendar (RFC 5545): one file per event for “Add to calendar”, and a feed of upcoming
events that calendar apps subscribe to (`webcal://`).

Times are London's, with the Europe/London VTIMEZONE in the file, so a calendar shows them right
wherever it is. An event keeps its UID (its page id) through retitling, moves and rescheduling, so a
subscribed calendar updates it instead of adding another; a cancelled event stays, as CANCELLED.
Only public events: an unpublished, private or scheduled event is a 404 and never in the feed.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from api.prefetch import prepare_pages
from api.public_views import public_caching, read_only
from cms.paths import frontend_path, frontend_url
from cms.request_cache import request_scope
from events.models import EventPage
from events.queries import events, upcoming_events

PRODUCT_ID = "-//Peru Support Group//PSG CMS events//EN"
CALENDAR_NAME = "Peru Support Group: events"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How many upcoming events the feed lists, and how often subscribers should ask again.
FEED_SIZE = 100
REFRESH_INTERVAL = datetime.timedelta(hours=6)
# RFC 5545 has no “postponed”: TENTATIVE says the time shown may not hold.
STATUSES: dict[str, str] = {
    EventPage.Status.SCHEDULED: "CONFIRMED",
    EventPage.Status.POSTPONED: "TENTATIVE",
    EventPage.Status.CANCELLED: "CANCELLED",
}
# Page ids are a 32-bit integer column: a longer number is no event.
MAX_ID_DIGITS = 10


def london() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def uid(page: EventPage) -> str:
    """Stable for the event's life: its page id, under the CMS's own host."""
    host = urlsplit(str(settings.WAGTAILADMIN_BASE_URL)).hostname or "psg-cms"
    return f"psg-event-{page.pk}@{host}"


def location(page: EventPage) -> str:
    """The venue's name and address on one line; the online link for an online-only event."""
    venue = page.venue
    if venue is None:
        return page.online_url_or_none or ""
    parts = [venue.name, *venue.address_lines, venue.city, venue.postcode, venue.country]
    return ", ".join(part for part in parts if part)


def vevent(page: EventPage) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(page))
    event.add("dtstamp", page.last_published_at or timezone.now())
    event.add("dtstart", page.starts_at.astimezone(london()))
    if page.ends_at:
        event.add("dtend", page.ends_at.astimezone(london()))
    event.add("summary", page.title)
    url = frontend_url(frontend_path(page))
    if page.summary:
        event.add("description", page.summary + (f"\n\n{url}" if url and "://" in url else ""))
    if url and "://" in url:
        event.add("url", url)
    where = location(page)
    if where:
        event.add("location", where)
    event.add("status", STATUSES.get(page.status, "CONFIRMED"))
    if page.first_published_at:
        event.add("created", page.first_published_at)
    if page.last_published_at:
        event.add("last-modified", page.last_published_at)
    return event


def calendar(pages: Iterable[EventPage], name: str | None = None) -> icalendar.Calendar:
    pages = list(pages)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", REFRESH_INTERVAL)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for page in pages:
        cal.add_component(vevent(page))
    # The zone's rules over the years the events span (not 1970-2038): a short VTIMEZONE.
    starts = [timezone.localtime(page.starts_at).date() for page in pages]
    today = timezone.localdate()
    first = min([*starts, today]) - datetime.timedelta(days=366)
    last = max([*starts, today]) + datetime.timedelta(days=366)
    cal.add_missing_timezones(first_date=first, last_date=last)
    return cal


def _answer(cal: icalendar.Calendar, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@read_only
@public_caching
def event_ical(request: HttpRequest, page_id: str) -> HttpResponse:
    """One public event as an .ics file."""
    if len(page_id) > MAX_ID_DIGITS or int(page_id) >= 2**31:
        raise Http404("No such event.")
    with request_scope():
        page = events().filter(pk=int(page_id)).select_related("venue").first()
        if page is None:
            raise Http404("No such event.")
        return _answer(calendar([page]), filename=f"{page.slug}.ics")


@read_only
@public_caching
def events_feed(request: HttpRequest) -> HttpResponse:
    """Upcoming public events (not yet ended), soonest first: a calendar to subscribe to."""
    with request_scope():
        pages = prepare_pages(upcoming_events().select_related("venue")[:FEED_SIZE])
        return _answer(calendar(pages, name=CALENDAR_NAME))
