"""Whoever registers types the address and the name: a stranger's address gets neither their words
nor more than FORMS_READER_EMAILS_PER_DAY emails a day from registering, while what follows from
the event or another person's cancelling always reaches them."""

import pytest
from django.core import mail
from django.test import Client

from tests.events.registration_setup import cancel_path, event_taking_registrations, site_with_roles
from tests.events.test_registration_graphql import submit

pytestmark = pytest.mark.django_db

SPAM = "Cheap pills at https://spam.example/buy"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.FORMS_MIN_FILL_SECONDS = 0
    settings.RATE_LIMIT_ENABLED = False  # many clients, as an attacker would use
    settings.FORMS_READER_EMAILS_PER_DAY = 2


@pytest.fixture
def event():
    return event_taking_registrations(site_with_roles()[2], capacity=1)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_the_name_typed_is_never_in_an_email(event, django_capture_on_commit_callbacks):
    outcome = submit(Client(), SPAM, "victim@example.org", capture=django_capture_on_commit_callbacks)
    assert outcome["ok"] is True
    (confirmation,) = to("victim@example.org")
    assert confirmation.body.startswith("Hello,\n")
    assert "spam" not in confirmation.body.lower() and "spam" not in confirmation.subject.lower()


def test_registering_a_stranger_again_and_again_stops_at_the_daily_bound(
    event, django_capture_on_commit_callbacks, caplog
):
    submit(Client(), "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)
    for spelling in (
        "victim@example.org",
        "VICTIM@example.org",
        "victim+x@example.org",
        "victim@example.org",
    ):
        outcome = submit(Client(), SPAM, spelling, capture=django_capture_on_commit_callbacks)
        assert outcome["ok"] is True  # the form says the same whether or not an email went
    subjects = [m.subject for m in mail.outbox if m.to[0].lower().startswith("victim")]
    assert subjects == [
        "You are on the waiting list for Mining and water: a public meeting",
        "Your registration for Mining and water: a public meeting",
    ]
    assert "daily limit" in caplog.text and "victim" not in caplog.text.lower()

    # Ana cancels: the place given to the first waiting is news they must get, bound or not.
    link = cancel_path("ana@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link)
    assert [m.subject for m in to("victim@example.org")] == [
        "A place at Mining and water: a public meeting is now yours"
    ]
