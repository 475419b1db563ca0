"""Editors get clear messages on the right field when an event or its prices do not make sense."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage, TicketPrice
from tests.factories import LONDON, EventPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    _home, _news_index, events_index = make_site()
    return EventPageFactory(parent=events_index, title="Annual conference")


def _errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_valid_event_passes(event):
    event.full_clean()


def test_event_ending_before_it_starts_is_refused_on_ends_at(event):
    event.ends_at = event.starts_at - datetime.timedelta(hours=1)
    errors = _errors(event)
    assert list(errors) == ["ends_at"]
    assert "end after it starts" in errors["ends_at"][0]


def test_event_ending_when_it_starts_is_refused(event):
    event.ends_at = event.starts_at
    assert "end after it starts" in _errors(event)["ends_at"][0]


def test_event_without_an_announced_end_is_fine(event):
    event.ends_at = None
    event.full_clean()


def test_registration_deadline_after_the_start_is_refused_on_the_deadline(event):
    event.registration_deadline = event.starts_at + datetime.timedelta(minutes=1)
    errors = _errors(event)
    assert list(errors) == ["registration_deadline"]
    assert "before the event starts" in errors["registration_deadline"][0]


def test_registration_deadline_before_the_start_is_fine(event):
    event.registration_deadline = event.starts_at - datetime.timedelta(days=2)
    event.full_clean()


def test_required_registration_needs_an_email_or_url(event):
    event.registration_required = True
    errors = _errors(event)
    assert list(errors) == ["registration_email"]
    assert "email address or a URL" in errors["registration_email"][0]


@pytest.mark.parametrize(
    "field, value",
    [("registration_email", "events@perusupportgroup.org.uk"), ("registration_url", "https://example.org/r")],
)
def test_required_registration_with_email_or_url_is_fine(event, field, value):
    event.registration_required = True
    setattr(event, field, value)
    event.full_clean()


def test_summary_of_300_characters_is_fine(event):
    event.summary = "x" * 300
    event.full_clean()


def test_summary_of_301_characters_is_refused_on_summary(event):
    """Event lists and the API promise at most 300 characters, as for news items."""
    event.summary = "x" * 301
    errors = _errors(event)
    assert list(errors) == ["summary"]
    assert any("300 characters" in message for message in errors["summary"])


def test_negative_ticket_price_is_refused_on_amount(event):
    price = TicketPrice(page=event, label="Members", amount=decimal.Decimal("-1.00"), currency="GBP")
    errors = _errors(price)
    assert list(errors) == ["amount"]
    assert "cannot be negative" in errors["amount"][0]


def test_free_ticket_is_fine(event):
    TicketPrice(page=event, label="Students", amount=decimal.Decimal("0"), currency="GBP").full_clean()


@pytest.mark.parametrize("currency", ["gbp", "GB", "£££", "G1P"])
def test_bad_currency_is_refused_on_currency(event, currency):
    price = TicketPrice(page=event, label="Members", amount=decimal.Decimal("8.00"), currency=currency)
    errors = _errors(price)
    assert list(errors) == ["currency"]
    assert "ISO 4217" in errors["currency"][0]


def _event_form(events_index, **overrides):
    data = {
        "title": "Annual conference 2030",
        "slug": "annual-conference-2030",
        "starts_at": "2030-11-05 17:00",
        "ends_at": "2030-11-05 10:30",
        "status": "scheduled",
        "summary": "PSG's annual conference.",
        "venue": "",
        "online_url": "",
        "registration_email": "",
        "registration_url": "",
        "registration_deadline": "",
        "registration_note": "",
        "registration_opens_at": "",
        "registration_capacity": "",
        "form_fields": inline_formset([]),
        "submit_label": "Register",
        "prices": inline_formset([{"label": "Non-members", "amount": "13.00", "currency": "GBP"}]),
        "programme": inline_formset([{"time": "10:30", "title": "Registration and coffee", "detail": ""}]),
        "body": streamfield([("paragraph", rich_text("<p>Speakers to be announced.</p>"))]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_admin_add_event_form_shows_the_end_before_start_message(admin_client):
    _home, _news_index, events_index = make_site()
    url = f"/admin/pages/add/events/eventpage/{events_index.id}/"
    response = admin_client.post(url, _event_form(events_index))
    assert response.status_code == 200
    assert "The event must end after it starts." in response.content.decode()
    assert response.context["form"].errors["ends_at"] == ["The event must end after it starts."]
    assert not EventPage.objects.exists()


def test_admin_add_event_form_creates_a_valid_event(admin_client):
    """The same form data with a sensible end creates the event: the failure above is the dates alone."""
    _home, _news_index, events_index = make_site()
    url = f"/admin/pages/add/events/eventpage/{events_index.id}/"
    response = admin_client.post(url, _event_form(events_index, ends_at="2030-11-05 18:30"))
    assert response.status_code == 302
    event = EventPage.objects.get()
    assert event.starts_at == datetime.datetime(2030, 11, 5, 17, 0, tzinfo=LONDON)
    assert [(p.label, p.amount) for p in event.prices.all()] == [("Non-members", decimal.Decimal("13.00"))]
    assert [item.title for item in event.programme.all()] == ["Registration and coffee"]
