"""The `events` listing as a frontend queries it: upcoming and past, London days, typed fields."""

import datetime
import decimal

import pytest
from django.utils import timezone

from tests.factories import (
    LONDON,
    EventPageFactory,
    ProgrammeItemFactory,
    TicketPriceFactory,
    VenueFactory,
    make_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_index():
    return make_site()[2]


def _event(events_index, title, starts_at, ends_at=None, **kwargs):
    return EventPageFactory(parent=events_index, title=title, starts_at=starts_at, ends_at=ends_at, **kwargs)


def _at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def _titles(gql, arguments=""):
    query = f"{{ events{arguments and f'({arguments})'} {{ items {{ title }} }} }}"
    return [item["title"] for item in gql(query)["events"]["items"]]


@pytest.fixture
def calendar(events_index):
    _event(events_index, "Conference 2031", _at(2031, 11, 4, 10, 0), _at(2031, 11, 4, 17, 0))
    _event(events_index, "Conference 2016", _at(2016, 11, 5, 10, 0), _at(2016, 11, 5, 17, 0))
    _event(events_index, "Conference 2030", _at(2030, 11, 5, 10, 30), _at(2030, 11, 5, 17, 0))
    _event(events_index, "Seminar 2017", _at(2017, 3, 1, 18, 0), _at(2017, 3, 1, 20, 0))
    _event(events_index, "Film night 2030", _at(2030, 6, 5, 19, 0))


def test_upcoming_by_default_soonest_first(gql, calendar):
    assert _titles(gql) == ["Film night 2030", "Conference 2030", "Conference 2031"]
    assert _titles(gql, "timeframe: UPCOMING") == ["Film night 2030", "Conference 2030", "Conference 2031"]


def test_past_most_recent_first(gql, calendar):
    assert _titles(gql, "timeframe: PAST") == ["Seminar 2017", "Conference 2016"]


def test_upcoming_pagination_totals(gql, calendar):
    data = gql("{ events(pageSize: 2) { pagination { totalCount totalPages hasNextPage } } }")
    assert data["events"]["pagination"] == {"totalCount": 3, "totalPages": 2, "hasNextPage": True}


def test_event_without_end_that_started_earlier_today_is_still_upcoming(gql, events_index):
    now = timezone.localtime()
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    _event(events_index, "Today", start_of_today + (now - start_of_today) / 2)
    _event(events_index, "Yesterday", start_of_today - datetime.timedelta(hours=1))
    assert _titles(gql) == ["Today"]
    assert _titles(gql, "timeframe: PAST") == ["Yesterday"]


def test_event_still_running_is_upcoming_until_it_ends(gql, events_index):
    now = timezone.now()
    _event(events_index, "Running", now - datetime.timedelta(days=2), now + datetime.timedelta(hours=1))
    _event(events_index, "Just ended", now - datetime.timedelta(hours=3), now - datetime.timedelta(minutes=1))
    assert _titles(gql) == ["Running"]
    assert _titles(gql, "timeframe: PAST") == ["Just ended"]


@pytest.fixture
def around_midnight(events_index):
    # 00:30 London on 5 June is 23:30 UTC on 4 June: the filters count London days.
    _event(events_index, "Early on the 5th", _at(2030, 6, 5, 0, 30))
    _event(events_index, "Late on the 4th", _at(2030, 6, 4, 23, 30))
    _event(events_index, "On the 6th", _at(2030, 6, 6, 12, 0))


def test_starts_from_counts_london_days(gql, around_midnight):
    assert _titles(gql, 'startsFrom: "2030-06-05"') == ["Early on the 5th", "On the 6th"]


def test_starts_until_counts_london_days(gql, around_midnight):
    assert _titles(gql, 'startsUntil: "2030-06-04"') == ["Late on the 4th"]


def test_starts_from_and_until_the_same_day(gql, around_midnight):
    assert _titles(gql, 'startsFrom: "2030-06-05", startsUntil: "2030-06-05"') == ["Early on the 5th"]


def test_starts_from_after_starts_until_is_a_user_input_error(gql, around_midnight):
    _status, errors = gql.errors(
        '{ events(startsFrom: "2030-06-06", startsUntil: "2030-06-05") { items { title } } }'
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


EVENT_FIELDS = """
{ events {
  items {
    title startsAt endsAt status
    venue { name addressLines city postcode country }
    prices { label amount currency }
    programme { time startsAt title }
  }
} }
"""


def test_typed_fields_in_winter_time(gql, events_index):
    venue = VenueFactory()
    event = _event(events_index, "Conference", _at(2030, 11, 5, 10, 30), _at(2030, 11, 5, 17, 0), venue=venue)
    TicketPriceFactory(page=event, label="Members and concessions", amount=decimal.Decimal("8"), sort_order=0)
    TicketPriceFactory(page=event, label="Non-members", amount=decimal.Decimal("13.00"), sort_order=1)
    ProgrammeItemFactory(
        page=event, time=datetime.time(10, 30), title="Registration and coffee", sort_order=0
    )
    [item] = gql(EVENT_FIELDS)["events"]["items"]
    assert item["startsAt"] == "2030-11-05T10:30:00+00:00"
    assert item["endsAt"] == "2030-11-05T17:00:00+00:00"
    assert item["status"] == "SCHEDULED"
    assert item["venue"] == {
        "name": "UCL Global Governance Institute",
        "addressLines": ["29–31 Tavistock Square"],
        "city": "London",
        "postcode": "WC1H 9QU",
        "country": "United Kingdom",
    }
    assert item["prices"] == [
        {"label": "Members and concessions", "amount": "8.00", "currency": "GBP"},
        {"label": "Non-members", "amount": "13.00", "currency": "GBP"},
    ]
    assert item["programme"] == [
        {"time": "10:30", "startsAt": "2030-11-05T10:30:00+00:00", "title": "Registration and coffee"}
    ]


def test_typed_fields_in_summer_time(gql, events_index):
    event = _event(events_index, "Summer", _at(2030, 6, 5, 10, 30), status="cancelled")
    ProgrammeItemFactory(page=event, time=datetime.time(14, 0), title="Panel")
    [item] = gql(EVENT_FIELDS)["events"]["items"]
    assert item["startsAt"] == "2030-06-05T10:30:00+01:00"
    assert item["endsAt"] is None
    assert item["status"] == "CANCELLED"
    assert item["venue"] is None
    assert item["prices"] == []
    assert item["programme"] == [{"time": "14:00", "startsAt": "2030-06-05T14:00:00+01:00", "title": "Panel"}]


def test_unpublished_events_are_not_listed(gql, events_index):
    _event(events_index, "Public", _at(2030, 1, 1, 10, 0))
    _event(events_index, "Draft", _at(2030, 1, 2, 10, 0)).unpublish()
    assert _titles(gql) == ["Public"]
