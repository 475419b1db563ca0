"""Several people sending the form at the same moment for the last place: exactly one gets it, the
others wait. Run on PostgreSQL (DATABASE_URL=postgres://…), where requests truly run side by side
and the event's row is locked while places are counted; SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection
from django.test import Client

from events.registrations import Registration
from tests.events.registration_setup import event_taking_registrations, site_with_roles
from tests.events.test_registration_graphql import SUBMIT, _post, event_answer

pytestmark = [
    # Committed for real (other threads see it); the migrated rows are put back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

PEOPLE = 6


@pytest.fixture(autouse=True)
def _forms_settings(settings):
    settings.FORMS_MIN_FILL_SECONDS = 0
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 1000


def test_simultaneous_submissions_for_the_last_place_confirm_exactly_one():
    events_index = site_with_roles()[2]
    event = event_taking_registrations(events_index, capacity=1)
    path = f"/events/{event.slug}/"
    token = event_answer(Client(), path)["form"]["token"]
    start = threading.Barrier(PEOPLE)
    results, failures = [], []

    def person(n):
        try:
            values = [
                {"name": "name", "value": f"Person {n}"},
                {"name": "email", "value": f"person-{n}@example.org"},
                {"name": "consent", "value": "true"},
            ]
            start.wait()
            results.append(_post(Client(), SUBMIT, {"path": path, "values": values, "token": token}))
        except Exception as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert all(result["data"]["submitForm"]["ok"] for result in results), results
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed"] + ["waitlisted"] * (PEOPLE - 1)


def test_two_confirmed_registrations_deleted_at_once_give_two_places_not_more():
    event = event_taking_registrations(site_with_roles()[2], capacity=2)
    for n in range(5):
        Registration.objects.create(
            page=event,
            form_data={},
            email=f"person-{n}@example.org",
            name=f"Person {n}",
            status="confirmed" if n < 2 else "waitlisted",
        )
    confirmed = list(Registration.objects.filter(status="confirmed").values_list("pk", flat=True))
    start = threading.Barrier(len(confirmed))
    failures = []

    def delete(pk):
        try:
            start.wait()
            Registration.objects.get(pk=pk).delete()
        except Exception as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=delete, args=(pk,)) for pk in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert list(Registration.objects.order_by("pk").values_list("name", "status")) == [
        ("Person 2", "confirmed"),
        ("Person 3", "confirmed"),
        ("Person 4", "waitlisted"),
    ]
