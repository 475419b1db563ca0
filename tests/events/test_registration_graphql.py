"""Registering for an event over the API, as a frontend does: the event's `registration` says whether
it is open and how many places are left (never who registered), `submitForm` on the event's path
gives a place, then the waiting list, then (without a waiting list) a refusal; a closed form says so.
Cancelling by the emailed link frees the place for the first waiting."""

import datetime
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventPage
from events.registrations import Registration
from tests.events.registration_setup import cancel_path, event_taking_registrations, site_with_roles
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

PATH = "/events/mining-and-water/"

EVENT_QUERY = """
query Event($path: String!) {
  page(path: $path) {
    ... on EventPage {
      title
      registration { viaForm isOpen closedReason opensAt closesAt capacity placesLeft waitingList }
      form { fields { name label type required } submitLabel token honeypot }
    }
  }
}
"""

SUBMIT = """
mutation Register($path: String!, $values: [FormValueInput!]!, $token: String) {
  submitForm(path: $path, values: $values, token: $token) { ok errors { field messages } message }
}
"""


@pytest.fixture(autouse=True)
def _forms_settings(settings):
    settings.FORMS_MIN_FILL_SECONDS = 0  # answered at once
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 1000


def _post(client, query, variables):
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def event_answer(client, path=PATH):
    payload = _post(client, EVENT_QUERY, {"path": path})
    assert "errors" not in payload, payload
    return payload["data"]["page"]


def submit(client, name, email, path=PATH, capture=None):
    token = event_answer(client, path)["form"]["token"]
    values = [
        {"name": "name", "value": name},
        {"name": "email", "value": email},
        {"name": "consent", "value": "true"},
    ]
    with capture(execute=True):
        payload = _post(client, SUBMIT, {"path": path, "values": values, "token": token})
    assert "errors" not in payload, payload
    return payload["data"]["submitForm"]


@pytest.fixture
def events_index():
    return site_with_roles()[2]


def test_capacity_one_confirms_one_then_waitlists_and_cancelling_promotes(
    events_index, client, django_capture_on_commit_callbacks
):
    event = event_taking_registrations(events_index, capacity=1)
    before = event_answer(client)
    assert before["registration"] == {
        "viaForm": True,
        "isOpen": True,
        "closedReason": None,
        "opensAt": None,
        "closesAt": timezone.localtime(event.starts_at).isoformat(),
        "capacity": 1,
        "placesLeft": 1,
        "waitingList": True,
    }
    assert [(f["name"], f["type"]) for f in before["form"]["fields"]] == [
        ("name", "SINGLE_LINE"),
        ("email", "EMAIL"),
        ("consent", "CHECKBOX"),
    ]

    first = submit(client, "Ana Quispe", "ana@example.org", capture=django_capture_on_commit_callbacks)
    assert first == {
        "ok": True,
        "errors": [],
        "message": "Your place is confirmed. We have emailed you the details and a link to cancel.",
    }
    assert event_answer(client)["registration"]["placesLeft"] == 0
    assert event_answer(client)["registration"]["isOpen"] is True  # a waiting list still takes names

    second = submit(client, "Bea Mamani", "bea@example.org", capture=django_capture_on_commit_callbacks)
    assert second["ok"] is True
    assert second["message"].startswith("The event is full: you are on the waiting list.")
    assert dict(Registration.objects.values_list("email", "status")) == {
        "ana@example.org": "confirmed",
        "bea@example.org": "waitlisted",
    }

    # Ana cancels with the link she was emailed; Bea gets the place and an email saying so.
    link = cancel_path("ana@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert dict(Registration.objects.values_list("email", "status")) == {
        "ana@example.org": "cancelled",
        "bea@example.org": "confirmed",
    }
    assert [m.to for m in mail.outbox if "now yours" in m.subject] == [["bea@example.org"]]
    assert event_answer(client)["registration"]["placesLeft"] == 0


def test_without_a_waiting_list_a_full_event_refuses_with_a_clear_message(
    events_index, client, django_capture_on_commit_callbacks
):
    event_taking_registrations(events_index, capacity=1, waiting_list=False)
    assert submit(client, "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)["ok"] is True
    refused = submit(client, "Bea", "bea@example.org", capture=django_capture_on_commit_callbacks)
    assert refused == {
        "ok": False,
        "errors": [{"field": "__all__", "messages": ["Sorry, the event is full."]}],
        "message": None,
    }
    assert Registration.objects.count() == 1
    registration = event_answer(client)["registration"]
    assert (registration["placesLeft"], registration["waitingList"]) == (0, False)


def test_a_form_not_yet_open_or_closed_refuses_and_says_why(
    events_index, client, django_capture_on_commit_callbacks
):
    opens = timezone.now() + datetime.timedelta(days=2)
    event = event_taking_registrations(events_index, capacity=None, registration_opens_at=opens)
    registration = event_answer(client)["registration"]
    expected = f"Registration opens on {timezone.localtime(opens):%-d %B %Y at %H:%M}."
    assert (registration["isOpen"], registration["closedReason"]) == (False, expected)
    assert registration["opensAt"] == timezone.localtime(opens).isoformat()
    assert (registration["capacity"], registration["placesLeft"]) == (None, None)
    refused = submit(client, "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)
    assert refused["ok"] is False and refused["errors"] == [{"field": "__all__", "messages": [expected]}]

    EventPage.objects.filter(pk=event.pk).update(
        registration_opens_at=None, registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    refused = submit(client, "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)
    assert refused["errors"] == [
        {"field": "__all__", "messages": ["Registration for this event has closed."]}
    ]
    EventPage.objects.filter(pk=event.pk).update(registration_deadline=None, status="postponed")
    refused = submit(client, "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)
    assert "postponed" in refused["errors"][0]["messages"][0]
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_an_event_not_taking_registrations_here_has_no_form(events_index, client):
    EventPageFactory(
        parent=events_index, slug="talk", registration_required=True, registration_url="https://x.example/"
    )
    answer = event_answer(client, "/events/talk/")
    assert answer["form"] is None
    assert answer["registration"]["viaForm"] is False and answer["registration"]["isOpen"] is False
    variables = {"path": "/events/talk/", "values": [], "token": "x"}
    response = client.post(
        "/graphql/", json.dumps({"query": SUBMIT, "variables": variables}), content_type="application/json"
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "FORM_NOT_FOUND"


def test_registering_twice_gives_no_second_place_and_tells_nothing_of_others(
    events_index, client, django_capture_on_commit_callbacks
):
    event_taking_registrations(events_index, capacity=2)
    submit(client, "Ana", "ana@example.org", capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    again = submit(client, "Ana again", "ANA@example.org", capture=django_capture_on_commit_callbacks)
    assert again == {"ok": True, "errors": [], "message": "Thank you. We have emailed you about your place."}
    assert Registration.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]  # the details again, to the address


def test_places_left_costs_the_same_sql_for_one_event_or_many(events_index, client, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False  # the resolvers' SQL, not a cached answer
    query = (
        "{ events { items { title registration { isOpen placesLeft capacity } form { fields { name } } } } }"
    )

    def count():
        _post(client, query, {})  # warm: what a process keeps across requests is known after this
        with CaptureQueriesContext(connection) as queries:
            payload = _post(client, query, {})
        return len(queries), payload["data"]["events"]["items"]

    event_taking_registrations(events_index, capacity=3, slug="first")
    one, items = count()
    assert items[0]["registration"]["placesLeft"] == 3
    for n in range(5):
        event_taking_registrations(events_index, capacity=3, slug=f"more-{n}")
    many, items = count()
    assert len(items) == 6
    assert many == one


PUBLIC_QUERIES = [
    (EVENT_QUERY, {"path": PATH}),
    ("{ events { items { title summary registration { note placesLeft } form { fields { label } } } } }", {}),
    ("{ home { upcomingEvents { title registration { placesLeft } } } }", {}),
    ("{ sitemap { path } }", {}),
]


def test_what_people_send_never_appears_in_a_public_answer_a_log_or_a_webhook(
    events_index, client, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    event_taking_registrations(events_index, capacity=1)
    webhooks = []
    monkeypatch.setattr("webhooks.receivers.send", lambda *args, **kwargs: webhooks.append(args))
    caplog.set_level("DEBUG")
    for n in range(2):  # one confirmed, one waiting
        submit(
            client, f"MARKER-NAME-{n}", f"marker-{n}@example.org", capture=django_capture_on_commit_callbacks
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_path("marker-0@example.org"))
    assert Registration.objects.filter(status="confirmed").count() == 1
    for query, variables in PUBLIC_QUERIES:
        text = json.dumps(_post(client, query, variables))
        assert "MARKER" not in text and "marker-" not in text, query
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "MARKER" not in logged and "marker-" not in logged
    assert "Registration" in logged  # the worker's lines are there, by id
    assert webhooks == []  # registrations change no published content
