"""Personal data is kept FORMS_RETENTION_DAYS and no longer; one person's data can be exported and
erased on request, by the commands and by the Membership and events group in the admin."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from tests.privacy.access import assert_denied

pytestmark = pytest.mark.django_db


def _sent(page, days_ago, **answers):
    submission = FormSubmission.objects.create(page=page, form_data=answers)
    FormSubmission.objects.filter(pk=submission.pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return submission


def _run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_purge_deletes_only_what_the_retention_period_has_ended_for(site, settings):
    settings.FORMS_RETENTION_DAYS = 30
    home = site[0]
    expired = _sent(home, 31, email="old@example.org")
    kept = _sent(home, 29, email="recent@example.org")
    assert "deleted 1 form submissions" in _run("purge_expired_submissions")
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not FormSubmission.objects.filter(pk=expired.pk).exists()
    # Idempotent: a second run the same day finds nothing more to delete.
    assert "deleted 0 form submissions" in _run("purge_expired_submissions")
    assert FormSubmission.objects.count() == 1


def test_export_gives_one_persons_submissions_whatever_the_field_is_called(site):
    home = site[0]
    _sent(home, 2, your_email="Ana@Example.org", message="ANA-MARKER")
    _sent(home, 1, email="ana@example.org", message="ANA-SECOND")
    _sent(home, 1, email="bea@example.org", message="BEA-MARKER")
    _sent(home, 1, email="joana@example.org", message="NOT-ANA")  # contains the address, is not it
    data = json.loads(_run("export_personal_data", "ana@example.org"))
    assert data["email"] == "ana@example.org"
    answers = [record["answers"]["message"] for record in data["form submissions"]]
    assert answers == ["ANA-MARKER", "ANA-SECOND"]
    assert data["form submissions"][0]["page"] == home.title


def test_erase_removes_one_persons_data_only(site):
    home = site[0]
    _sent(home, 2, email="ana@example.org", message="ANA")
    _sent(home, 1, email="joana@example.org", message="JOANA")
    assert "Erased 1 form submissions" in _run("erase_personal_data", "ANA@example.org")
    assert list(FormSubmission.objects.values_list("form_data__message", flat=True)) == ["JOANA"]


def test_commands_refuse_what_is_not_an_email_address(site):
    with pytest.raises(CommandError, match="Not an email address"):
        _run("erase_personal_data", "ana")


def test_the_group_exports_and_erases_in_the_admin(site, member, client):
    home = site[0]
    _sent(home, 1, email="ana@example.org", message="ANA-MARKER")
    _sent(home, 1, email="bea@example.org", message="BEA-MARKER")
    client.force_login(member)
    page = client.get("/admin/personal-data/")
    assert page.status_code == 200
    assert "/admin/personal-data/" in client.get("/admin/").content.decode()  # in the Settings menu

    export = client.post("/admin/personal-data/", {"email": "ana@example.org", "action": "export"})
    assert export["Content-Type"].startswith("application/json")
    assert "no-store" in export["Cache-Control"]  # the admin's own: kept by no browser or cache
    assert "ANA-MARKER" in export.content.decode() and "BEA-MARKER" not in export.content.decode()

    confirm = client.post("/admin/personal-data/", {"email": "ana@example.org", "action": "erase"})
    assert "1 form submissions" in confirm.content.decode()
    assert FormSubmission.objects.count() == 2  # nothing erased before the confirmation
    done = client.post(
        "/admin/personal-data/", {"email": "ana@example.org", "action": "erase", "confirm": "yes"}
    )
    assert "Erased: 1 form submissions" in done.content.decode()
    assert list(FormSubmission.objects.values_list("form_data__message", flat=True)) == ["BEA-MARKER"]


def test_bad_address_in_the_admin_is_a_form_error(site, member, client):
    client.force_login(member)
    response = client.post("/admin/personal-data/", {"email": "not-an-address", "action": "export"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "moderator"])
def test_outside_the_group_there_is_no_personal_data_page(site, who, request, client):
    _sent(site[0], 1, email="ana@example.org", message="ANA-MARKER")
    client.force_login(request.getfixturevalue(who))
    assert "/admin/personal-data/" not in client.get("/admin/").content.decode()
    assert_denied(client.get("/admin/personal-data/"))
    assert_denied(client.post("/admin/personal-data/", {"email": "ana@example.org", "action": "export"}))
    erase = {"email": "ana@example.org", "action": "erase", "confirm": "yes"}
    assert_denied(client.post("/admin/personal-data/", erase))
    assert FormSubmission.objects.count() == 1


def test_the_compose_scheduler_purges_when_it_starts(site, settings):
    settings.FORMS_RETENTION_DAYS = 30
    _sent(site[0], 31, email="old@example.org")
    kept = _sent(site[0], 1, email="new@example.org")
    assert "deleted 1 form submissions" in _run("run_scheduler", "--iterations", "1")
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [kept.pk]
