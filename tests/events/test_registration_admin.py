"""Registrations in the admin: listed per event for the Membership and events group (search, filter
by place, CSV export) with counts on its dashboard; Editors and Moderators outside the group see
none of it, nor Wagtail's form submissions."""

import pytest

from tests.events.registration_setup import (
    event_taking_registrations,
    registered,
    site_with_roles,
    user_in,
)
from tests.privacy.access import assert_denied

pytestmark = pytest.mark.django_db

LISTING = "/admin/registrations/"


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    _home, _news, events_index = site_with_roles()
    event = event_taking_registrations(events_index, capacity=1)
    registered(event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    registered(event, "Bea Mamani", "bea@example.org", django_capture_on_commit_callbacks)
    return event


@pytest.fixture
def member(event, django_user_model):
    return user_in(django_user_model, "mira", "Editors", "Membership and events")


def test_the_group_lists_searches_filters_and_exports_registrations(event, member, client):
    client.force_login(member)
    dashboard = client.get("/admin/").content.decode()
    assert LISTING in dashboard  # in the menu
    listing = client.get(LISTING, {"event": event.pk}).content.decode()
    assert "Ana Quispe" in listing and "Bea Mamani" in listing

    found = client.get(LISTING, {"q": "bea@"}).content.decode()
    assert "Bea Mamani" in found and "Ana Quispe" not in found
    waiting = client.get(LISTING, {"status": "waitlisted"}).content.decode()
    assert "Bea Mamani" in waiting and "Ana Quispe" not in waiting

    export = client.get(LISTING, {"event": event.pk, "export": "csv"})
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("Name,Email,Event,Place,Registered at,Answers")
    assert any(
        row.startswith("Ana Quispe,ana@example.org,Mining and water") and "Confirmed" in row for row in rows
    )
    assert any("Bea Mamani" in row and "On the waiting list" in row for row in rows)


def test_the_groups_dashboard_counts_registrations_per_upcoming_event(event, member, client):
    client.force_login(member)
    html = " ".join(client.get("/admin/").content.decode().split())
    assert 'id="psg-registrations-section"' in html
    assert f"{LISTING}?event={event.pk}" in html
    assert "<strong>2</strong> registrations" in html
    assert "<td>1</td> <td>1</td> <td>1</td>" in html  # one confirmed, one waiting, of one place


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_outside_the_group_no_registration_or_submission_is_shown(event, group, client, django_user_model):
    client.force_login(user_in(django_user_model, "outsider", group))
    dashboard = client.get("/admin/").content.decode()
    assert LISTING not in dashboard and "psg-registrations" not in dashboard
    assert "Ana Quispe" not in dashboard
    for url in (LISTING, f"{LISTING}?export=csv", f"{LISTING}?q=ana"):
        assert_denied(client.get(url))
    # Wagtail's own Forms menu and the event's submissions (the registrations again), CSV included.
    assert "/admin/forms/" not in dashboard
    assert_denied(client.get(f"/admin/forms/submissions/{event.pk}/"))
    assert_denied(client.get(f"/admin/forms/submissions/{event.pk}/?export=csv"))
    forms_index = client.get("/admin/forms/")
    if forms_index.status_code == 200:
        assert event.title not in forms_index.content.decode()
    else:
        assert_denied(forms_index)


def test_the_group_sees_the_events_submissions_in_wagtails_forms_too(event, member, client):
    client.force_login(member)
    assert event.title in client.get("/admin/forms/").content.decode()
    submissions = client.get(f"/admin/forms/submissions/{event.pk}/").content.decode()
    assert "ana@example.org" in submissions and "On the waiting list" in submissions
