"""Registrations are personal data: kept until the retention period has passed since both the
registration and the event, exported and erased per person (erasure gives a freed place to the
first waiting), and emailed about when the event is postponed or cancelled."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import EventPage
from events.registrations import Registration
from tests.events.registration_setup import edit_form, event_taking_registrations, registered, site_with_roles

pytestmark = pytest.mark.django_db


def _run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def events_index():
    return site_with_roles()[2]


def test_retention_deletes_registrations_only_once_the_event_is_long_past(
    events_index, settings, django_capture_on_commit_callbacks
):
    settings.FORMS_RETENTION_DAYS = 30
    now = timezone.now()
    for slug, days in (("past", -40), ("recent", -10), ("coming", 90)):
        event = event_taking_registrations(events_index, slug=slug)
        registered(event, "Ana Quispe", f"ana-{slug}@example.org", django_capture_on_commit_callbacks)
        starts = now + datetime.timedelta(days=days)
        EventPage.objects.filter(pk=event.pk).update(
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
        )
    Registration.objects.update(submit_time=now - datetime.timedelta(days=60))  # all sent long ago

    assert "deleted 0 form submissions, 1 event registrations" in _run("purge_expired_submissions")
    assert set(Registration.objects.values_list("email", flat=True)) == {
        "ana-recent@example.org",  # its event ended 10 days ago
        "ana-coming@example.org",  # its event is still to come
    }
    assert "1 event registrations" not in _run("purge_expired_submissions")


def test_erasure_removes_one_persons_registrations_and_promotes_the_first_waiting(
    events_index, django_capture_on_commit_callbacks
):
    event = event_taking_registrations(events_index, capacity=1)
    registered(event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    registered(event, "Bea Mamani", "bea@example.org", django_capture_on_commit_callbacks)
    exported = json.loads(_run("export_personal_data", "ANA@example.org"))
    assert [(r["page"], r["status"], r["answers"]["name"]) for r in exported["event registrations"]] == [
        (event.title, "Confirmed", "Ana Quispe")
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "Erased 0 form submissions, 1 event registrations" in _run(
            "erase_personal_data", "ana@example.org"
        )
    assert list(Registration.objects.values_list("email", "status")) == [("bea@example.org", "confirmed")]
    # Only the promoted person is written to: the erased one's emails find nobody.
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert "now yours" in mail.outbox[0].subject


def test_cancelling_the_event_in_the_admin_emails_everyone_registered_once(
    events_index, admin_client, django_capture_on_commit_callbacks
):
    event = event_taking_registrations(events_index, capacity=1)
    for name in ("ana", "bea"):
        registered(event, name.title(), f"{name}@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    edit = f"/admin/pages/{event.pk}/edit/"
    form = edit_form(event, status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bea@example.org"]
    assert {m.subject for m in mail.outbox} == {f"{event.title} is cancelled"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit, form)  # published again: nobody is told twice
    assert mail.outbox == []


def test_postponed_then_going_ahead_then_cancelled_tells_people_each_time(
    events_index, django_capture_on_commit_callbacks
):
    event = event_taking_registrations(events_index, capacity=5)
    registered(event, "Ana", "ana@example.org", django_capture_on_commit_callbacks)

    def publish_with(status):
        mail.outbox.clear()
        page = EventPage.objects.get(pk=event.pk)
        page.status = status
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return [m.subject for m in mail.outbox]

    assert publish_with("postponed") == [f"{event.title} is postponed"]
    assert publish_with("postponed") == []
    assert publish_with("scheduled") == []
    assert publish_with("cancelled") == [f"{event.title} is cancelled"]
