"""Whoever sends a form types the address its confirmation goes to, so it may be a stranger's: what
they typed never reaches that address, and one mailbox gets at most FORMS_READER_EMAILS_PER_DAY
emails a day however many clients send forms naming it."""

import smtplib

import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from tests.api.forms.conftest import VALID, submit
from tests.factories import JoinFormFieldFactory

SPAM = "Cheap pills at https://spam.example/buy"


@pytest.fixture(autouse=True)
def _no_client_limit(settings):
    # Each test plays many clients; the client limit has its own tests.
    settings.RATE_LIMIT_ENABLED = False


def sent(values, capture):
    with capture(execute=True):
        response = submit(Client(), values)
    assert response.json()["data"]["submitForm"]["ok"] is True, response.json()


def with_answers(**changes):
    return [(n, v) for n, v in VALID if n not in changes] + list(changes.items())


def confirmations_to(outbox, address):
    return [m for m in outbox if m.to == [address]]


def test_the_confirmation_repeats_choices_and_never_what_was_typed(
    join_page, contact, mailoutbox, django_capture_on_commit_callbacks
):
    JoinFormFieldFactory(page=join_page, label="Message", field_type="multiline", required=False)
    JoinFormFieldFactory(page=join_page, label="Website", field_type="url", required=False)
    JoinFormFieldFactory(page=join_page, label="Joined", field_type="date", required=False)
    values = with_answers(
        full_name=SPAM,
        message=f"Dear friend,\n{SPAM}\nRegards",
        website="https://spam.example/",
        age="42",
        joined="2026-11-30",
    )
    sent(values, django_capture_on_commit_callbacks)

    (confirmation,) = confirmations_to(mailoutbox, "ana@example.org")
    body = confirmation.body
    assert body.startswith("Welcome aboard.")
    for chosen in (
        "Which membership would you like?: Individual: £25.00 per year",
        "Interests: Mining, Health",
        "I agree to be contacted: yes",
        "Age: 42",
        "Joined: 2026-11-30",
    ):
        assert chosen in body
    assert "spam" not in body.lower() and "Dear friend" not in body
    assert "Full name" not in body and "Message" not in body and "Website" not in body
    assert "ana@example.org" not in body  # the address answer is typed too
    assert "What you wrote reached us; it is not repeated in this email." in body
    # PSG reads every answer, as sent.
    (notification,) = confirmations_to(mailoutbox, "office@psg.example")
    assert f"Full name: {SPAM}" in notification.body
    assert "Website: https://spam.example/" in notification.body


def test_a_form_of_choices_and_an_address_leaves_out_only_the_address(
    join_page, contact, mailoutbox, django_capture_on_commit_callbacks
):
    join_page.form_fields.filter(field_type="singleline").delete()
    values = [(n, v) for n, v in VALID if n != "full_name"]
    sent(values, django_capture_on_commit_callbacks)
    (confirmation,) = confirmations_to(mailoutbox, "ana@example.org")
    assert "Interests: Mining, Health" in confirmation.body
    # The email question is typed: left out, and said so.
    assert "not repeated in this email" in confirmation.body
    assert "Email:" not in confirmation.body


@pytest.mark.parametrize(
    "variants",
    [
        pytest.param(["victim@example.org"] * 4, id="same-address"),
        pytest.param(
            ["victim@example.org", "Victim@Example.ORG", "victim+offer@example.org", "vic.tim@example.org"],
            id="spellings-of-one-mailbox",
        ),
    ],
)
def test_one_mailbox_gets_at_most_the_daily_number_of_confirmations(
    variants, join_page, contact, settings, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.FORMS_READER_EMAILS_PER_DAY = 2
    for address in variants:
        sent(with_answers(email=address), django_capture_on_commit_callbacks)
    sent(with_answers(email="other@example.org"), django_capture_on_commit_callbacks)

    confirmations = [m for m in mailoutbox if m.to != ["office@psg.example"]]
    assert len(confirmations) == 3
    assert sum(1 for m in confirmations if m.to == ["other@example.org"]) == 1
    # Every submission is kept and PSG is told of each.
    assert len(confirmations_to(mailoutbox, "office@psg.example")) == 5
    assert "daily limit" in caplog.text
    assert "victim" not in caplog.text.lower()


def test_zero_means_no_daily_bound(
    join_page, contact, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.FORMS_READER_EMAILS_PER_DAY = 0
    for _ in range(4):
        sent(VALID, django_capture_on_commit_callbacks)
    assert len(confirmations_to(mailoutbox, "ana@example.org")) == 4


def test_the_bound_is_per_day(join_page, contact, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.FORMS_READER_EMAILS_PER_DAY = 1
    with freeze_time() as clock:
        sent(VALID, django_capture_on_commit_callbacks)
        sent(VALID, django_capture_on_commit_callbacks)
        assert len(confirmations_to(mailoutbox, "ana@example.org")) == 1
        clock.tick(86_401)
        sent(VALID, django_capture_on_commit_callbacks)
    assert len(confirmations_to(mailoutbox, "ana@example.org")) == 2


def test_a_retried_send_counts_once(
    join_page, contact, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    settings.FORMS_READER_EMAILS_PER_DAY = 2
    settings.FORMS_EMAIL_MAX_ATTEMPTS = 3
    failures = {"left": 2}
    real_send = mail.EmailMessage.send

    def flaky(message, fail_silently=False):
        if message.to == ["ana@example.org"] and failures["left"]:
            failures["left"] -= 1
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    for _ in range(3):
        sent(VALID, django_capture_on_commit_callbacks)
    # The first confirmation took three attempts and still counts as one of the two.
    assert failures["left"] == 0
    assert len(confirmations_to(mailoutbox, "ana@example.org")) == 2
