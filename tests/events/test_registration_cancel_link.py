"""The link in a registration's confirmation cancels it: opening it only asks (a link preview or a
mail scanner cancels nothing), pressing the button cancels, frees the place and gives it to the
first on the waiting list, who is emailed."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from events import registration_emails
from events.registrations import Registration
from tests.events.registration_setup import (
    cancel_path,
    event_taking_registrations,
    registered,
    site_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event():
    _home, _news, events_index = site_with_roles()
    return event_taking_registrations(events_index, capacity=1)


def test_the_emailed_link_asks_then_cancels_and_promotes_the_first_waiting(
    full_event, client, django_capture_on_commit_callbacks
):
    ana = registered(full_event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    bea = registered(full_event, "Bea Mamani", "bea@example.org", django_capture_on_commit_callbacks)
    cai = registered(full_event, "Cai Huamán", "cai@example.org", django_capture_on_commit_callbacks)
    assert [r.status for r in (ana, bea, cai)] == ["confirmed", "waitlisted", "waitlisted"]
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Your place at Mining and water: a public meeting is confirmed",
        "You are on the waiting list for Mining and water: a public meeting",
        "You are on the waiting list for Mining and water: a public meeting",
    ]
    link = cancel_path("ana@example.org")

    # Opening the link changes nothing: it shows what it is for and a button.
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cancel your registration?" in html and "Mining and water: a public meeting" in html
    assert '<form method="post">' in html
    assert "noindex" in page["X-Robots-Tag"]
    assert Registration.objects.get(pk=ana.pk).status == "confirmed"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert "Your registration is cancelled" in done.content.decode()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "ana@example.org": "cancelled",
        "bea@example.org": "confirmed",
        "cai@example.org": "waitlisted",
    }
    sent = {message.to[0]: message.subject for message in mail.outbox}
    assert sent == {
        "ana@example.org": "Your registration for Mining and water: a public meeting is cancelled",
        "bea@example.org": "A place at Mining and water: a public meeting is now yours",
    }
    assert "/registrations/cancel/" in mail.outbox[-1].body  # the promoted person can cancel too

    # The link again: already cancelled, nobody else moves.
    mail.outbox.clear()
    again = client.post(link)
    assert "was already cancelled" in again.content.decode()
    assert mail.outbox == []
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_a_link_not_made_here_finds_nothing(full_event, client, django_capture_on_commit_callbacks):
    registered(full_event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    link = cancel_path("ana@example.org")
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    for path in (tampered, "/registrations/cancel/1/", "/registrations/cancel/not-a-token/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert Registration.objects.get().status == "confirmed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_wait_for_the_worker_and_the_queue_keeps_only_ids(
    full_event, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    registered(full_event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    assert mail.outbox == []  # nothing sent in the request: queued for the worker
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert queued == [
        (
            "events.registration_emails.send_registration_email",
            {"args": [Registration.objects.get().pk, "confirmed"], "kwargs": {}},
        )
    ]
    call_command(
        "db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_a_title_with_a_line_break_makes_a_one_line_subject(full_event, django_capture_on_commit_callbacks):
    full_event.title = "Conference\r\nBcc: victim@evil.example"
    full_event.save()
    registered(full_event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.message()["Bcc"] is None and message.recipients() == ["ana@example.org"]


def test_a_mail_server_failure_is_retried(
    full_event, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FORMS_EMAIL_MAX_ATTEMPTS = 3
    ana = registered(full_event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    failures = iter([OSError("refused"), OSError("refused")])

    def flaky_send(*args, **kwargs):
        failure = next(failures, None)
        if failure:
            raise failure
        return mail.send_mail(*args, **kwargs)

    monkeypatch.setattr(registration_emails, "send_mail", flaky_send)
    registration_emails.send_registration_email.call(ana.pk, "confirmed")
    # Two failures, then the third attempt (run at once by the test's immediate backend) is sent.
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
