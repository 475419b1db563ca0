"""The join page's application form, fetched and sent over HTTP as a frontend does."""

from wagtail.contrib.forms.models import FormSubmission

from tests.api.forms.conftest import VALID, fetch_form, submit


def test_the_join_page_offers_its_form_with_the_membership_options_first(client, join_page):
    _response, form = fetch_form(client)
    assert [f["name"] for f in form["fields"]] == [
        "membership",
        "full_name",
        "email",
        "age",
        "interests",
        "i_agree_to_be_contacted",
    ]
    membership = form["fields"][0]
    assert membership["type"] == "RADIO"
    assert membership["required"] is True
    assert membership["choices"] == ["Individual: £25.00 per year", "Concession: £10.00 per year"]
    assert form["fields"][1]["helpText"] == "As on your card."
    assert form["fields"][1]["maxLength"] == 255
    assert form["fields"][2]["type"] == "EMAIL"
    assert form["fields"][4]["choices"] == ["Mining", "Health"]
    assert form["honeypot"] == "website"
    assert form["confirmationMessage"] == "Welcome aboard."
    assert form["captcha"] is None


def test_an_answer_with_the_token_is_never_cached(client, join_page):
    response, _form = fetch_form(client)
    assert response["Cache-Control"] == "no-store"
    assert "X-Cache" not in response


def test_a_valid_application_is_stored_and_emailed(
    client, join_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, VALID, HTTP_ORIGIN="https://frontend.test")
    payload = response.json()
    assert response.status_code == 200, payload
    assert payload["data"]["submitForm"] == {
        "ok": True,
        "errors": [],
        "message": "Welcome aboard.",
        "redirectPath": None,
    }
    assert response["Cache-Control"] == "no-store"
    submission = FormSubmission.objects.get(page=join_page)
    assert submission.form_data["email"] == "ana@example.org"
    assert submission.form_data["interests"] == ["Mining", "Health"]
    assert submission.form_data["membership"] == "Individual: £25.00 per year"
    assert submission.form_data["i_agree_to_be_contacted"] is True
    assert len(mailoutbox) == 1  # no contact address yet: only the reader's confirmation
    assert mailoutbox[0].to == ["ana@example.org"]
    assert "Welcome aboard." in mailoutbox[0].body


def test_mistakes_come_back_by_field_with_200(client, join_page):
    values = [("membership", "Gold"), ("full_name", ""), ("email", "not-an-email"), ("age", "old")]
    response = submit(client, values)
    payload = response.json()
    assert response.status_code == 200, payload
    result = payload["data"]["submitForm"]
    assert result["ok"] is False
    errors = {e["field"]: e["messages"] for e in result["errors"]}
    assert set(errors) == {"membership", "full_name", "email", "age", "i_agree_to_be_contacted"}
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["full_name"] == ["This field is required."]
    assert not FormSubmission.objects.exists()
