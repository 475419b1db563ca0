"""A page type decides what a valid submission does by overriding `accept_submission()`: the way an
event takes its registrations (capacity, a waiting list) on top of the generic delivery."""

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.contrib.forms.models import FormSubmission

from api.forms.emails import queue_emails
from api.forms.pages import SubmissionOutcome
from home.models import JoinPage
from tests.api.forms.conftest import VALID, submit
from tests.factories import StandardPageFactory


def answer(client):
    response = submit(client, VALID)
    assert response.status_code == 200, response.json()
    return response.json()["data"]["submitForm"]


def test_the_page_chooses_the_message_and_where_the_reader_goes(client, join_page, monkeypatch):
    def waiting_list(page, form, request):
        submission = page.process_form_submission(form)
        assert form.cleaned_data["email"] == "ana@example.org"
        return SubmissionOutcome(
            message="You are on the waiting list.", redirect_path="/waiting/", submission=submission
        )

    monkeypatch.setattr(JoinPage, "accept_submission", waiting_list)
    assert answer(client) == {
        "ok": True,
        "errors": [],
        "message": "You are on the waiting list.",
        "redirectPath": "/waiting/",
    }
    assert FormSubmission.objects.count() == 1


def test_the_page_can_refuse_with_messages_by_field_and_nothing_it_stored_stays(
    client, join_page, monkeypatch
):
    def full(page, form, request):
        page.process_form_submission(form)
        raise ValidationError({"membership": "This option is full."})

    monkeypatch.setattr(JoinPage, "accept_submission", full)
    assert answer(client) == {
        "ok": False,
        "errors": [{"field": "membership", "messages": ["This option is full."]}],
        "message": None,
        "redirectPath": None,
    }
    assert not FormSubmission.objects.exists()


def test_a_refusal_of_the_whole_form_is_under_all(client, join_page, monkeypatch):
    def closed(page, form, request):
        raise ValidationError("Registration has closed.")

    monkeypatch.setattr(JoinPage, "accept_submission", closed)
    assert answer(client)["errors"] == [{"field": "__all__", "messages": ["Registration has closed."]}]


def test_the_default_redirect_path_is_the_pages(client, join_page):
    StandardPageFactory(parent=join_page.get_parent(), title="Thank you", slug="thank-you")
    join_page.redirect_path = "/thank-you/"
    join_page.save_revision().publish()
    assert answer(client)["redirectPath"] == "/thank-you/"


def test_the_pages_own_message_is_what_the_confirmation_email_says(
    client, join_page, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def waiting_list(page, form, request):
        submission = page.process_form_submission(form)
        transaction.on_commit(lambda: queue_emails(submission.pk, "You are on the waiting list."))
        return SubmissionOutcome(message="You are on the waiting list.", submission=submission)

    monkeypatch.setattr(JoinPage, "accept_submission", waiting_list)
    with django_capture_on_commit_callbacks(execute=True):
        assert answer(client)["message"] == "You are on the waiting list."
    (confirmation,) = mailoutbox  # no contact address: the reader's confirmation alone
    assert confirmation.body.startswith("You are on the waiting list.")
