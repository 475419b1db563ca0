"""Events as iCalendar over HTTP: one file per event and a feed of upcoming ones, as calendar apps
read them (parsed with icalendar), London times with their VTIMEZONE, public events only."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import LONDON, EventPageFactory, VenueFactory, make_site

pytestmark = pytest.mark.django_db

FEED = "/feeds/events.ics"


@pytest.fixture
def events_index():
    return make_site()[2]


def event(events_index, title, starts_at, **kwargs):
    return EventPageFactory(parent=events_index, title=title, starts_at=starts_at, **kwargs)


def parsed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_an_events_file_has_its_london_time_venue_url_and_a_stable_uid(client, gql, events_index):
    venue = VenueFactory(address_line_2="Ground floor")
    page = event(
        events_index,
        "Annual conference",
        datetime.datetime(2030, 11, 5, 10, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 11, 5, 17, 0, tzinfo=LONDON),
        venue=venue,
        slug="annual-conference",
        summary="Peru's mining conflicts, with speakers from Cusco.",
    )
    data = gql('{ page(path: "/events/annual-conference/") { ... on EventPage { icalUrl } } }')
    url = data["page"]["icalUrl"]
    assert url == f"http://testserver/feeds/events/{page.pk}.ics"

    response = client.get(url.removeprefix("http://testserver"))
    cal = parsed(response)
    assert response["Content-Disposition"] == 'attachment; filename="annual-conference.ics"'
    assert "public" in response["Cache-Control"] and response.has_header("ETag")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    (vevent,) = cal.walk("VEVENT")
    starts = vevent.decoded("DTSTART")
    assert starts == datetime.datetime(2030, 11, 5, 10, 0, tzinfo=LONDON)
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent.decoded("DTEND").hour == 17
    assert str(vevent["SUMMARY"]) == "Annual conference"
    assert str(vevent["LOCATION"]) == (
        "UCL Global Governance Institute, 29–31 Tavistock Square, Ground floor, London, WC1H 9QU, "
        "United Kingdom"
    )
    assert str(vevent["URL"]) == "https://frontend.test/events/annual-conference/"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["UID"]) == f"psg-event-{page.pk}@testserver"
    # Retitled and moved to another day: the same event to a subscribed calendar.
    page.title = "Annual conference (new date)"
    page.starts_at = datetime.datetime(2030, 11, 12, 10, tzinfo=LONDON)
    page.ends_at = datetime.datetime(2030, 11, 12, 17, tzinfo=LONDON)
    page.save_revision().publish()
    again = parsed(client.get(f"/feeds/events/{page.pk}.ics"))
    assert str(again.walk("VEVENT")[0]["UID"]) == f"psg-event-{page.pk}@testserver"


def test_a_summer_event_keeps_its_british_summer_time(client, events_index):
    page = event(events_index, "Summer school", datetime.datetime(2030, 6, 5, 10, 30, tzinfo=LONDON))
    (vevent,) = parsed(client.get(f"/feeds/events/{page.pk}.ics")).walk("VEVENT")
    starts = vevent.decoded("DTSTART")
    assert starts.utcoffset() == datetime.timedelta(hours=1) and starts.hour == 10
    assert b"DTSTART;TZID=Europe/London:20300605T103000" in client.get(f"/feeds/events/{page.pk}.ics").content


def test_the_feed_lists_upcoming_public_events_with_cancellations_marked(client, gql, events_index):
    event(events_index, "Past", datetime.datetime(2020, 1, 1, 10, tzinfo=LONDON), ends_at=None)
    event(events_index, "Later", datetime.datetime(2031, 1, 1, 10, tzinfo=LONDON), ends_at=None)
    event(
        events_index,
        "Cancelled",
        datetime.datetime(2030, 3, 1, 10, tzinfo=LONDON),
        ends_at=None,
        status="cancelled",
    )
    event(events_index, "Draft", datetime.datetime(2030, 4, 1, 10, tzinfo=LONDON), ends_at=None).unpublish()
    private = event(
        events_index, "Members only", datetime.datetime(2030, 5, 1, 10, tzinfo=LONDON), ends_at=None
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    url = gql('{ page(path: "/events/") { ... on EventIndexPage { calendarFeedUrl } } }')["page"][
        "calendarFeedUrl"
    ]
    assert url == "http://testserver/feeds/events.ics"
    response = client.get(FEED)
    cal = parsed(response)
    assert "public" in response["Cache-Control"] and not response.has_header("Content-Disposition")
    assert str(cal["X-WR-CALNAME"]) == "Peru Support Group: events"
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in cal.walk("VEVENT")}
    assert statuses == {"Cancelled": "CANCELLED", "Later": "CONFIRMED"}
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Cancelled", "Later"]

    # Neither hidden event has a file of its own either.
    for hidden in ("Draft", "Members only"):
        page = events_index.get_children().get(title=hidden)
        assert client.get(f"/feeds/events/{page.pk}.ics").status_code == 404


def test_the_feeds_sql_does_not_grow_with_its_events(client, events_index):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FEED).status_code == 200
        return len(captured.captured_queries)

    venue = VenueFactory()
    event(events_index, "First", datetime.datetime(2030, 1, 1, 10, tzinfo=LONDON), venue=venue)
    one = queries()
    for day in range(2, 30):
        event(
            events_index,
            f"Day {day}",
            datetime.datetime(2030, 1, day, 10, tzinfo=LONDON),
            venue=VenueFactory(),
        )
    assert queries() == one


def test_bad_calendar_requests_are_refused_plainly(client, events_index):
    assert client.get("/feeds/events/99999999999999999999.ics").status_code == 404
    assert client.get("/feeds/events/123.ics").status_code == 404
    response = client.post(FEED)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    head = client.head(FEED)
    assert head.status_code == 200
