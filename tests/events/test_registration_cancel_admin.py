"""“Cancel registration” in the Registrations admin: for the Membership and events group (who may
delete what people send), a confirmation, then the place goes to the first waiting (emailed) and
the person is emailed that PSG cancelled it. Once only, by POST with the CSRF token only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from events.registrations import Registration
from tests.events.registration_setup import event_taking_registrations, registered, site_with_roles, user_in
from tests.privacy.access import assert_denied

pytestmark = pytest.mark.django_db

Status = Registration.Status
LISTING = "/admin/registrations/"


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    event = event_taking_registrations(site_with_roles()[2], capacity=1)
    registered(event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    registered(event, "Bea Mamani", "bea@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return event


@pytest.fixture
def ana(event):
    return Registration.objects.get(email="ana@example.org")


@pytest.fixture
def member(event, django_user_model):
    return user_in(django_user_model, "mira", "Editors", "Membership and events")


def _cancel_url(registration):
    return f"{LISTING}cancel/{registration.pk}/"


def _statuses():
    return dict(Registration.objects.values_list("email", "status"))


def test_the_group_cancels_a_place_and_the_first_waiting_gets_it(
    ana, member, client, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert _cancel_url(ana) in client.get(LISTING).content.decode()
    confirmation = client.get(_cancel_url(ana)).content.decode()
    assert "Cancel <strong>Ana Quispe</strong>" in confirmation
    assert "Their place goes to the first on the waiting list, who is emailed." in confirmation
    assert "They are emailed that PSG has cancelled their registration." in confirmation
    assert mail.outbox == [] and _statuses()["ana@example.org"] == Status.CONFIRMED  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_cancel_url(ana), follow=True)
    assert _statuses() == {"ana@example.org": Status.CANCELLED, "bea@example.org": Status.CONFIRMED}
    page = response.content.decode()
    assert "Ana Quispe&#x27;s registration is cancelled and they are emailed." in page
    assert "Its place goes to Bea Mamani, who is emailed." in page
    to_ana, to_bea = (
        next(m for m in mail.outbox if m.to == [address])
        for address in ("ana@example.org", "bea@example.org")
    )
    assert "We have cancelled your registration" in to_ana.body
    assert "A place at" in to_bea.subject
    # No more offer to cancel what is cancelled.
    assert _cancel_url(ana) not in client.get(LISTING).content.decode()


def test_cancelling_twice_changes_and_sends_nothing_the_second_time(
    ana, member, client, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_cancel_url(ana))
    sent = len(mail.outbox)
    assert "already cancelled" in client.get(_cancel_url(ana)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_cancel_url(ana), follow=True)
    assert "already cancelled: nothing changed" in response.content.decode()
    assert len(mail.outbox) == sent
    assert _statuses()["bea@example.org"] == Status.CONFIRMED


def test_cancelling_someone_waiting_frees_no_place(event, member, client, django_capture_on_commit_callbacks):
    bea = Registration.objects.get(email="bea@example.org")
    client.force_login(member)
    assert "Their place" not in client.get(_cancel_url(bea)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_cancel_url(bea))
    assert _statuses() == {"ana@example.org": Status.CONFIRMED, "bea@example.org": Status.CANCELLED}
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]


@pytest.mark.parametrize("groups", [("Editors",), ("Moderators",), ("Editors", "Viewing only")])
def test_nobody_else_may_cancel(ana, groups, client, django_user_model):
    viewing = Group.objects.create(name="Viewing only")
    viewing.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_formsubmission"),
    )
    client.force_login(user_in(django_user_model, "outsider", *groups))
    if "Viewing only" in groups:  # sees the list, without the action
        listing = client.get(LISTING).content.decode()
        assert "Ana Quispe" in listing and _cancel_url(ana) not in listing
    assert_denied(client.get(_cancel_url(ana)))
    assert_denied(client.post(_cancel_url(ana)))
    assert _statuses()["ana@example.org"] == Status.CONFIRMED and mail.outbox == []


def test_only_a_post_with_the_csrf_token_cancels(ana, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(_cancel_url(ana)).status_code == 403
    token = client.get(_cancel_url(ana)).cookies["csrftoken"].value
    assert client.put(_cancel_url(ana), headers={"X-CSRFToken": token}).status_code == 405
    assert client.delete(_cancel_url(ana), headers={"X-CSRFToken": token}).status_code == 405
    assert _statuses()["ana@example.org"] == Status.CONFIRMED

    assert client.post(_cancel_url(ana), {"csrfmiddlewaretoken": token}).status_code == 302
    assert _statuses()["ana@example.org"] == Status.CANCELLED
