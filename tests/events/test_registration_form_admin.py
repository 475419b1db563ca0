"""Editors switch on an event's registration form in the admin: it starts with the default
questions (name, email, consent), London times for its opening, and it must ask for an email."""

import datetime
import zoneinfo

import pytest
from wagtail.test.utils.form_data import inline_formset

from events.models import EventPage
from tests.admin.conftest import event_form
from tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_url(db):
    return f"/admin/pages/add/events/eventpage/{make_site()[2].pk}/"


def test_ticking_take_registrations_here_starts_with_the_default_questions(admin_client, add_url):
    form = event_form(
        registration_form="on",
        registration_opens_at="01/09/2030 09:00",
        registration_capacity="80",
        registration_waiting_list="on",
    )
    response = admin_client.post(add_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get()
    assert [(q.label, q.field_type, q.required) for q in event.form_fields.all()] == [
        ("Name", "singleline", True),
        ("Email", "email", True),
        ("Consent", "checkbox", True),
    ]
    # Typed as London time: 09:00 BST is 08:00 UTC.
    london = datetime.datetime(2030, 9, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    assert event.registration_opens_at == london
    assert (event.registration_capacity, event.registration_waiting_list) == (80, True)


def test_a_registration_form_without_an_email_question_is_refused(admin_client, add_url):
    question = {
        "label": "Your name",
        "field_type": "singleline",
        "required": "on",
        "choices": "",
        "default_value": "",
        "help_text": "",
    }
    form = event_form(registration_form="on", form_fields=inline_formset([question]))
    response = admin_client.post(add_url, form)
    assert response.status_code == 200
    assert "Add a question of type “Email” to the form" in response.content.decode()
    assert not EventPage.objects.exists()


def test_registration_must_open_before_it_closes(admin_client, add_url):
    form = event_form(registration_form="on", registration_opens_at="06/11/2030 09:00")
    response = admin_client.post(add_url, form)
    assert response.status_code == 200
    assert "Registration must open before it closes" in response.content.decode()
