"""Every CSV the admin writes shows a cell that could be a formula as text (OWASP's CSV injection):
the Registrations listing (names, answers), an event's submissions under Forms, PSG's Scheduled and
drafts report and Wagtail's own reports (a page title an Editor typed, exported by an
administrator). One case per leading character a spreadsheet application reads as a formula."""

import csv
import io

import pytest
from django.utils import timezone

from events.registrations import Registration
from tests.events.registration_setup import event_taking_registrations, site_with_roles
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
    "spaces": "  =1+1",
}


@pytest.fixture(params=FORMULAS.values(), ids=FORMULAS.keys())
def formula(request):
    return request.param


def _rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))


@pytest.fixture
def event():
    return event_taking_registrations(site_with_roles()[2], capacity=5)


def _registration(event, formula):
    # As if imported or written in code: the form itself trims what people type.
    return Registration.objects.create(
        page=event,
        form_data={"name": formula, "email": "ana@example.org", "consent": True},
        email="ana@example.org",
        name=formula,
        status=Registration.Status.CONFIRMED,
    )


def test_the_registrations_export_shows_a_formula_as_text(event, formula, admin_client):
    _registration(event, formula)
    (row,) = _rows(admin_client.get("/admin/registrations/", {"export": "csv"}))
    assert row["Name"] == "'" + formula
    assert not row["Answers"].lstrip().startswith(("=", "+", "-", "@"))
    assert formula in row["Answers"]


def test_an_answers_cell_starting_like_a_formula_is_shown_as_text(event, formula, admin_client):
    registration = _registration(event, "Ana")
    registration.form_data = {formula: "x"}  # a question's name is the first thing in the cell
    registration.save()
    (row,) = _rows(admin_client.get("/admin/registrations/", {"export": "csv"}))
    assert row["Answers"].startswith("'" + formula)


def test_an_events_submissions_under_forms_show_a_formula_as_text(event, formula, admin_client):
    _registration(event, formula)
    (row,) = _rows(admin_client.get(f"/admin/forms/submissions/{event.pk}/", {"export": "csv"}))
    assert row["Name"] == "'" + formula


def test_psgs_scheduled_and_drafts_report_shows_a_title_as_text(formula, admin_client):
    news_index = site_with_roles()[1]
    NewsPageFactory(parent=news_index, title=formula, live=False).save_revision()
    (row,) = _rows(admin_client.get("/admin/scheduled-and-drafts/", {"export": "csv"}))
    assert row["Title"] == "'" + formula


def test_wagtails_own_reports_show_a_title_as_text(formula, admin_client, admin_user):
    news_index = site_with_roles()[1]
    page = NewsPageFactory(parent=news_index, title=formula)
    page.locked, page.locked_by, page.locked_at = True, admin_user, timezone.now()
    page.save()
    (row,) = _rows(admin_client.get("/admin/reports/locked/", {"export": "csv"}))
    assert row["Title"] == "'" + formula


@pytest.mark.parametrize("value", ["-5", "-0.5", "+3", "1e2", "Ana Quispe", "ana@example.org"])
def test_numbers_and_plain_text_are_left_as_they_are(event, value, admin_client):
    _registration(event, value)
    (row,) = _rows(admin_client.get("/admin/registrations/", {"export": "csv"}))
    assert row["Name"] == value
