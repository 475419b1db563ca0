"""Editors are warned that publishing an event as postponed or cancelled emails everyone registered,
and told after publishing how many are being emailed."""

import pytest
from django.core import mail

from events.registering import announced
from tests.events.registration_setup import edit_form, event_taking_registrations, registered, site_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    event = event_taking_registrations(site_with_roles()[2], capacity=1)
    for name in ("Ana", "Bea"):  # Ana confirmed, Bea waiting
        registered(event, name, f"{name.lower()}@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return event


def _publish(client, event, capture, **fields):
    with capture(execute=True):
        response = client.post(f"/admin/pages/{event.pk}/edit/", edit_form(event, **fields), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_event_status_field_says_publishing_emails_everyone_registered(event, admin_client):
    page = admin_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert (
        "Publishing a change to Postponed or Cancelled emails everyone registered here "
        "(confirmed and waiting) and closes registration." in page
    )


def test_publishing_a_postponement_says_how_many_are_being_emailed(
    event, admin_client, django_capture_on_commit_callbacks
):
    page = _publish(admin_client, event, django_capture_on_commit_callbacks, status="postponed")
    assert f"2 people registered for “{event.title}” are being emailed that it is postponed." in page
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bea@example.org"]

    mail.outbox.clear()
    page = _publish(admin_client, event, django_capture_on_commit_callbacks, status="postponed")
    assert "being emailed" not in page and mail.outbox == []  # told once

    page = _publish(admin_client, event, django_capture_on_commit_callbacks, status="cancelled")
    assert f"2 people registered for “{event.title}” are being emailed that it is cancelled." in page


def test_publishing_an_event_going_ahead_says_nothing_of_emails(
    event, admin_client, django_capture_on_commit_callbacks
):
    page = _publish(admin_client, event, django_capture_on_commit_callbacks, status="scheduled")
    assert "being emailed" not in page


def test_an_editors_request_starts_with_no_count_left_on_its_thread(event, admin_client):
    # A workflow's approval publishes with no message and leaves its count on the thread: the next
    # editor's request on that thread must not show it after a Publish that counted nothing.
    announced.told = (event.pk, 2)
    assert admin_client.get(f"/admin/pages/{event.pk}/edit/").status_code == 200
    assert announced.told is None
    announced.told = (event.pk, 2)
    assert admin_client.get(f"/admin/pages/add/events/eventpage/{event.get_parent().pk}/").status_code == 200
    assert announced.told is None
