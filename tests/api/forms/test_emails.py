"""Emails about a submission: PSG is told, the reader is thanked, by a task after the request."""

import smtplib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.forms.models import FormSubmission

from api.forms import emails
from tests.api.forms.conftest import VALID, submit
from tests.webhooks.test_worker import run_worker


def send(client, django_capture_on_commit_callbacks, values=VALID):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit(client, values)
    assert response.json()["data"]["submitForm"]["ok"] is True
    return callbacks


def test_psg_is_told_at_the_sites_contact_address(
    client, contact, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks)
    notification, confirmation = sorted(mailoutbox, key=lambda m: m.to != ["office@psg.example"])
    assert notification.to == ["office@psg.example"]
    assert notification.reply_to == ["ana@example.org"]
    assert notification.subject == "New submission: Why join the PSG?"
    assert "Full name: Ana Quispe" in notification.body
    assert "Interests: Mining, Health" in notification.body
    assert "I agree to be contacted: yes" in notification.body
    submission = FormSubmission.objects.get()
    assert f"http://testserver/admin/forms/submissions/{submission.page_id}/" in notification.body
    assert confirmation.to == ["ana@example.org"]
    assert confirmation.subject == "Thank you: Why join the PSG?"
    assert confirmation.body.startswith("Welcome aboard.")


def test_without_site_settings_the_environments_address_is_told(
    client, join_page, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.FORMS_NOTIFY_EMAIL = "forms@psg.example"
    send(client, django_capture_on_commit_callbacks)
    assert sorted(tuple(m.to) for m in mailoutbox) == [("ana@example.org",), ("forms@psg.example",)]


def test_no_confirmation_when_the_page_says_so(
    client, contact, join_page, mailoutbox, django_capture_on_commit_callbacks
):
    join_page.email_confirmation = False
    join_page.save_revision().publish()
    send(client, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["office@psg.example"]]


def test_nothing_is_sent_before_the_submission_is_committed(client, contact, mailoutbox):
    # Outside a committed transaction (the test's), the tasks are not queued at all.
    assert submit(client, VALID).json()["data"]["submitForm"]["ok"] is True
    assert mailoutbox == []


def test_a_failed_send_is_tried_again(
    client, contact, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.FORMS_EMAIL_MAX_ATTEMPTS = 3
    failures = {"left": 2}
    real_send = mail.EmailMessage.send

    def flaky(message, fail_silently=False):
        if failures["left"]:
            failures["left"] -= 1
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    send(client, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2  # both sent in the end
    assert "attempt 2 queued" in caplog.text
    assert "ana@example.org" not in caplog.text


def test_a_send_that_keeps_failing_gives_up(
    client, contact, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.FORMS_EMAIL_MAX_ATTEMPTS = 2
    attempts = []

    def down(message, fail_silently=False):
        attempts.append(message.to)
        raise ConnectionRefusedError

    monkeypatch.setattr(mail.EmailMessage, "send", down)
    send(client, django_capture_on_commit_callbacks)
    assert len(attempts) == 4  # two emails, two attempts each
    assert "not sent after 2 attempts" in caplog.text


def test_an_erased_submission_is_not_sent(join_page, contact, mailoutbox):
    submission = FormSubmission.objects.create(page=join_page, form_data={"email": "gone@example.org"})
    submission_id = submission.pk
    submission.delete()
    emails.send_form_email.enqueue(submission_id, emails.NOTIFICATION)
    assert mailoutbox == []


def test_the_emails_are_tasks_on_the_webhooks_backend():
    assert emails.send_form_email.backend == "webhooks"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_only_queues_the_emails_and_the_worker_sends_them(
    client, contact, database_tasks, mailoutbox
):
    assert submit(client, VALID).json()["data"]["submitForm"]["ok"] is True  # autocommit: queued now

    assert mailoutbox == []
    queued = DBTaskResult.objects.filter(task_path="api.forms.emails.send_form_email")
    assert sorted(task.args_kwargs["args"][1] for task in queued) == ["confirmation", "notification"]
    # The queue holds the submission's id, never what the reader sent.
    assert "ana@example.org" not in str([task.args_kwargs for task in queued])

    run_worker()

    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "office@psg.example"]


def _with_email(address):
    return [(n, address if n == "email" else v) for n, v in VALID]


@pytest.mark.parametrize(
    "address",
    [
        "ana@example.org\r\nBcc: victim@evil.example",
        "ana@example.org\nBcc: victim@evil.example",
        "ana@example.org, victim@evil.example",
        "ana@example.org; victim@evil.example",
        "Ana <victim@evil.example>",
        '"victim@evil.example, other"@example.org',
        '"a\\"<victim@evil.example>"@example.org',
        "victim@[127.0.0.1]",
        "victim@localhost",
    ],
)
def test_an_address_that_is_not_one_plain_address_is_a_field_error(client, contact, mailoutbox, address):
    response = submit(client, _with_email(address))
    result = response.json()["data"]["submitForm"]
    assert result["ok"] is False
    assert [e["field"] for e in result["errors"]] == ["email"]
    assert not FormSubmission.objects.exists()
    assert mailoutbox == []


def test_the_confirmation_goes_to_the_one_address_typed_as_plain_text(
    client, contact, mailoutbox, django_capture_on_commit_callbacks
):
    values = [
        (n, '<a href="https://evil.example">Claim your prize</a>' if n == "full_name" else v)
        for n, v in VALID
    ]
    send(client, django_capture_on_commit_callbacks, values)
    confirmation = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert confirmation.recipients() == ["ana@example.org"]
    assert confirmation.cc == [] and confirmation.bcc == [] and confirmation.reply_to == []
    assert confirmation.content_subtype == "plain"
    assert not getattr(confirmation, "alternatives", [])
    message = confirmation.message()
    assert message.get_content_type() == "text/plain"
    assert message["To"] == "ana@example.org"
    notification = next(m for m in mailoutbox if m.to == ["office@psg.example"])
    assert notification.reply_to == ["ana@example.org"]
    assert notification.message()["Reply-To"] == "ana@example.org"


def test_a_title_with_a_line_break_makes_a_one_line_subject(
    client, contact, join_page, mailoutbox, django_capture_on_commit_callbacks
):
    join_page.title = "Join\r\nBcc: victim@evil.example"
    join_page.save()
    send(client, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.message()["Bcc"] is None
        assert "victim@evil.example" not in message.recipients()


def test_a_stored_address_that_is_not_plain_gets_no_email(join_page, contact, mailoutbox):
    # Answers stored before the address rule (or by an app's own code) are checked again on sending.
    submission = FormSubmission.objects.create(
        page=join_page, form_data={"email": '"victim@evil.example, x"@example.org', "full_name": "A"}
    )
    emails.send_form_email.call(submission.pk, emails.CONFIRMATION)
    emails.send_form_email.call(submission.pk, emails.NOTIFICATION)
    assert [m.to for m in mailoutbox] == [["office@psg.example"]]
    assert mailoutbox[0].reply_to == []


def test_the_rate_limit_bounds_how_many_confirmations_one_client_causes(
    client, contact, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATE_LIMIT_ENABLED = True
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 3
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            statuses.append(submit(client, VALID).status_code)
    assert statuses.count(429) == 3
    assert len([m for m in mailoutbox if m.to == ["ana@example.org"]]) == 3
