"""Registrations → Inspect shows each answer under its question's label, ticks as Yes or No, never
the stored dictionary."""

import pytest

from tests.events.registration_setup import event_taking_registrations, registered, site_with_roles, user_in

pytestmark = pytest.mark.django_db


def test_inspect_shows_the_answers_as_labelled_rows(
    django_capture_on_commit_callbacks, django_user_model, client
):
    event = event_taking_registrations(site_with_roles()[2], capacity=5)
    ana = registered(event, "Ana Quispe", "ana@example.org", django_capture_on_commit_callbacks)
    ana.form_data = {**ana.form_data, "newsletter": False, "gone_question": ""}
    ana.save()
    client.force_login(user_in(django_user_model, "mira", "Editors", "Membership and events"))
    html = " ".join(client.get(f"/admin/registrations/inspect/{ana.pk}/").content.decode().split())
    assert "{&#x27;name&#x27;" not in html and "&#x27;consent&#x27;: True" not in html
    for label, answer in (
        ("Name", "Ana Quispe"),
        ("Email", "ana@example.org"),
        ("Consent", "Yes"),
        ("newsletter", "No"),  # a question since removed: its stored name
        ("gone_question", "—"),
    ):
        assert f"<dt>{label}</dt> <dd> {answer} </dd>" in html, label
