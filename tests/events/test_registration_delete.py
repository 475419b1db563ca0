"""Deleting a confirmed registration frees its place as cancelling does, however it is deleted
(Wagtail's Forms submissions, several at once, the ORM): the first waiting get it and are emailed,
the people deleted are not, and the next to register joins the waiting list behind them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import registering
from events.registering import register
from events.registrations import Registration
from tests.events.registration_setup import answers, event_taking_registrations, registered, site_with_roles
from tests.factories import JoinPageFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    """Two places, Ana and Bob in them, Carla then Dina waiting."""
    event = event_taking_registrations(site_with_roles()[2], capacity=2)
    for name in ("Ana", "Bob", "Carla", "Dina"):
        registered(event, name, f"{name.lower()}@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return event


def _status(name):
    return Registration.objects.get(name=name).status


def _delete_url(event, *names):
    ids = Registration.objects.filter(name__in=names).values_list("pk", flat=True)
    query = "&".join(f"selected-submissions={pk}" for pk in ids)
    return f"/admin/forms/submissions/{event.pk}/delete/?{query}"


def test_the_confirmation_says_what_deleting_registrations_does(event, admin_client):
    page = admin_client.get(_delete_url(event, "Ana")).content.decode()
    assert "Are you sure you want to delete this form submission?" in page
    assert "frees its place: the first on the waiting list" in page
    assert "The people deleted are not emailed." in page


def test_another_forms_confirmation_says_nothing_of_places(event, admin_client):
    join_page = JoinPageFactory(parent=event.get_parent().get_parent())
    page = admin_client.get(f"/admin/forms/submissions/{join_page.pk}/delete/").content.decode()
    assert "Are you sure you want to delete" in page
    assert "waiting list" not in page


def test_deleting_a_confirmed_registration_under_forms_gives_its_place_to_the_first_waiting(
    event, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_delete_url(event, "Ana"))
    assert response.status_code == 302
    assert not Registration.objects.filter(name="Ana").exists()
    assert (_status("Bob"), _status("Carla"), _status("Dina")) == (
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["carla@example.org"], f"A place at {event.title} is now yours")
    ]

    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(event, answers("Emil", "emil@example.org"))
    assert outcome.registration.status == Status.WAITLISTED
    assert outcome.message.startswith("The event is full")


def test_deleting_several_at_once_gives_each_freed_place_once(
    event, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_delete_url(event, "Ana", "Bob", "Carla"))
    # Carla deleted with them: Dina has one place, the other stays free.
    assert list(Registration.objects.values_list("name", "status")) == [("Dina", Status.CONFIRMED)]
    assert [m.to for m in mail.outbox] == [["dina@example.org"]]


def test_deleting_someone_waiting_frees_no_place(event, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_delete_url(event, "Carla"))
    assert _status("Dina") == Status.WAITLISTED
    assert mail.outbox == []


def test_a_deletion_in_code_frees_the_place_too(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.filter(name="Bob").delete()
    assert _status("Carla") == Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.get(name="Ana").delete()
    assert _status("Dina") == Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [["carla@example.org"], ["dina@example.org"]]


def test_a_registration_loaded_before_its_promotion_still_frees_the_place_it_holds(
    event, django_capture_on_commit_callbacks
):
    carla = Registration.objects.get(name="Carla")  # loaded while waiting
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.filter(name="Ana").delete()
    with django_capture_on_commit_callbacks(execute=True):
        carla.delete()
    assert _status("Dina") == Status.CONFIRMED


def _full_event(events_index, slug, people, capture):
    event = event_taking_registrations(events_index, capacity=people, slug=slug, title=slug)
    for n in range(people):
        registered(event, f"{slug}-{n}", f"{slug}-{n}@example.org", capture)
    return event


def test_one_deletion_costs_the_same_queries_for_two_registrations_or_twenty(
    django_capture_on_commit_callbacks,
):
    # Locked once per event, read once per deletion: not a lock and a count per row.
    events_index = site_with_roles()[2]
    counts = []
    for slug, people in (("two", 2), ("twenty", 20)):
        event = _full_event(events_index, slug, people, django_capture_on_commit_callbacks)
        with CaptureQueriesContext(connection) as queries:
            Registration.objects.filter(page=event).delete()
        # Wagtail's reference index forgets each row on its own (its post_delete, in a savepoint).
        ours = [
            query["sql"]
            for query in queries.captured_queries
            if "wagtailcore_referenceindex" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
        counts.append(len(ours))
    assert counts[0] == counts[1] <= 8


@pytest.mark.parametrize("deleted", ["the event", "the section above it"])
def test_an_event_deleted_with_its_registrations_fills_no_place_and_writes_to_nobody(
    event, admin_client, django_capture_on_commit_callbacks, monkeypatch, deleted
):
    # Its waiting list goes in the same deletion, so there would be nobody to tell anyway: the
    # spy shows no place is even looked for in an event that is going.
    filled = []
    monkeypatch.setattr(registering, "promote_waiting", lambda *args, **kwargs: filled.append(args) or [])
    page = event if deleted == "the event" else event.get_parent()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert mail.outbox == []
    assert filled == []
