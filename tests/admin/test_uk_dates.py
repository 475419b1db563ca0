"""Dates and times in the admin as PSG's editors write them: DD/MM/YYYY HH:MM, 24-hour, London time."""

import datetime
import json
import re
import zoneinfo

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from events.models import EventPage, ProgrammeItem
from news.models import NewsPage
from tests.admin.conftest import event_form, news_form
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _post_event(client, site, **overrides):
    return client.post(f"/admin/pages/add/events/eventpage/{site[2].id}/", event_form(**overrides))


def test_a_uk_date_and_time_is_read_day_first_in_london_time(site, admin_client):
    response = _post_event(admin_client, site, starts_at="10/12/2026 18:30", ends_at="10/12/2026 21:00")
    assert response.status_code == 302
    event = EventPage.objects.get()
    assert event.starts_at == datetime.datetime(2026, 12, 10, 18, 30, tzinfo=LONDON)
    # In summer London is an hour ahead of UTC: still the time typed.
    event_form_summer = {"slug": "summer", "starts_at": "01/07/2027 09:00", "ends_at": "01/07/2027 17:00"}
    assert _post_event(admin_client, site, **event_form_summer).status_code == 302
    summer = EventPage.objects.get(slug="summer")
    assert summer.starts_at == datetime.datetime(2027, 7, 1, 8, 0, tzinfo=datetime.UTC)


UNREADABLE = ["12/31/2026 18:30", "10/12/2026 6:30pm", "next Tuesday", "10/12/2026 25:00"]


@pytest.mark.parametrize("typed", UNREADABLE)
def test_a_date_the_admin_cannot_read_is_an_error_on_that_field(site, admin_client, typed):
    response = _post_event(admin_client, site, starts_at=typed)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["starts_at"]
    assert errors["starts_at"] == [
        "Enter the date and time as DD/MM/YYYY HH:MM, 24-hour, e.g. 10/12/2026 18:30."
    ]
    # What was typed is shown back as typed, never replaced.
    assert f'value="{typed}"' in response.content.decode()
    assert not EventPage.objects.exists()


def test_a_date_written_right_that_does_not_exist_is_named_as_such(site, admin_client):
    response = _post_event(admin_client, site, starts_at="31/02/2026 18:30", ends_at="29/02/2028 21:00")
    assert response.status_code == 200
    errors = response.context["form"].errors
    # 2028 is a leap year: only the start is refused, with what is wrong with it.
    assert dict(errors) == {"starts_at": ["There is no 31 February 2026: February 2026 has 28 days."]}
    assert 'value="31/02/2026 18:30"' in response.content.decode()

    data = news_form(publication_date="31/04/2026", go_live_at="30/02/2031 09:00")
    response = admin_client.post(f"/admin/pages/add/news/newspage/{site[1].id}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["publication_date"] == [
        "There is no 31 April 2026: April 2026 has 30 days."
    ]
    assert response.context["form"].errors["go_live_at"] == [
        "There is no 30 February 2031: February 2031 has 28 days."
    ]
    assert not NewsPage.objects.exists()


@pytest.mark.parametrize("typed", ["00/02/2026", "13/13/2026", "31-02-2026", "31/02/26"])
def test_a_date_not_written_dd_mm_yyyy_still_gets_the_format(site, admin_client, typed):
    response = admin_client.post(
        f"/admin/pages/add/news/newspage/{site[1].id}/", news_form(publication_date=typed)
    )
    assert response.context["form"].errors["publication_date"] == [
        "Enter the date as DD/MM/YYYY, e.g. 10/12/2026."
    ]


def test_the_event_form_shows_dates_and_times_in_the_uk_formats(site, admin_client):
    event = EventPageFactory(
        parent=site[2],
        starts_at=datetime.datetime(2026, 12, 10, 18, 30, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 12, 10, 21, 0, tzinfo=LONDON),
    )
    event.programme.add(ProgrammeItem(time=datetime.time(9, 0), title="Registration and coffee"))
    event.save_revision()
    content = admin_client.get(f"/admin/pages/{event.id}/edit/").content.decode()
    assert re.search(r'name="starts_at" value="10/12/2026 18:30"', content)
    assert 'name="programme-0-time" value="09:00"' in content
    assert 'placeholder="DD/MM/YYYY HH:MM"' in content
    # The date pickers are told the same formats, and the week starts on Monday.
    calls = re.findall(r"initDateTimeChooser\([^,]+, (\{.*?\})\);", content)
    configs = [json.loads(config) for config in calls]
    assert configs and {(c["format"], c["formatTime"], c["dayOfWeekStart"]) for c in configs} == {
        ("d/m/Y H:i", "H:i", 1)
    }


def test_the_publication_date_and_the_schedule_use_the_uk_formats(site, admin_client):
    go_live = "01/03/2031 09:00"
    data = news_form(publication_date="01/03/2031", go_live_at=go_live)
    data["action-publish"] = "action-publish"
    response = admin_client.post(f"/admin/pages/add/news/newspage/{site[1].id}/", data)
    assert response.status_code == 302
    page = NewsPage.objects.get()
    assert page.publication_date == datetime.date(2031, 3, 1)
    revision = page.latest_revision
    assert revision.approved_go_live_at == datetime.datetime(2031, 3, 1, 9, 0, tzinfo=LONDON)


def test_times_shown_in_the_admin_are_24_hour(site, admin_client):
    event = EventPageFactory(parent=site[2])
    event.save_revision(user=None, log_action=True)
    morning = datetime.datetime(2026, 11, 30, 9, 5, tzinfo=LONDON)
    PageLogEntry.objects.filter(page=event).update(timestamp=morning)
    content = admin_client.get(f"/admin/pages/{event.id}/history/").content.decode()
    assert "30 Nov 2026, 09:05" in content
    assert not re.search(r"\d (a|p)\.m\.", content)


def test_the_account_offers_no_other_language_or_time_zone(admin_client):
    content = admin_client.get("/admin/account/").content.decode()
    assert "Preferred language" not in content
    assert "Current time zone" not in content
    assert timezone.get_current_timezone_name() == "Europe/London"
