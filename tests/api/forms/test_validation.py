"""Every kind of question is checked on the server by the rules the form shows, each message on its field."""

from wagtail.contrib.forms.models import FormSubmission

from tests.api.forms.conftest import GOOD, fetch_form, submit


def result(client, values):
    response = submit(client, values, path="/contact/")
    payload = response.json()
    assert response.status_code == 200, payload
    return payload["data"]["submitForm"]


def test_the_form_describes_each_kind_of_question(client, contact_page):
    form = fetch_form(client, "/contact/")[1]
    kinds = {field["name"]: (field["type"], field["maxLength"]) for field in form["fields"]}
    assert kinds == {
        "email": ("EMAIL", 254),
        "message": ("MULTI_LINE", 5000),
        "visit_date": ("DATE", None),
        "website": ("URL", 2000),
        "group_size": ("NUMBER", None),
        "topic": ("DROPDOWN", None),
        "reply_by": ("RADIO", None),
        "consent": ("CHECKBOX", None),
    }
    # A question named like the honeypot's first choice moves the honeypot along.
    assert form["honeypot"] == "homepage"
    assert form["fields"][5]["choices"] == ["Press", "Membership, renewals", "Other"]
    assert form["fields"][6]["defaultValues"] == ["Email"]
    assert form["redirectPath"] == "/thanks/"


def test_good_answers_of_every_kind_are_kept_typed(client, contact_page):
    assert result(client, GOOD) == {
        "ok": True,
        "errors": [],
        "message": "Thank you for signing up.",
        "redirectPath": "/thanks/",
    }
    data = FormSubmission.objects.get().form_data
    assert data["visit_date"] == "2026-12-01"
    assert data["website"] == "https://example.org"
    assert data["group_size"] == "12"
    assert data["consent"] is True


def test_bad_answers_of_every_kind_are_refused_on_their_field(client, contact_page):
    values = [
        ("email", "reader@"),
        ("message", ""),
        ("visit_date", "01/12/2026"),
        ("website", "not a web address"),
        ("group_size", "a dozen"),
        ("topic", "Something else"),
        ("reply_by", "Email"),
        ("consent", "false"),
    ]
    errors = {e["field"]: e["messages"] for e in result(client, values)["errors"]}
    assert errors == {
        "email": ["Enter a valid email address."],
        "message": ["This field is required."],
        "visit_date": ["Enter a valid date."],
        "website": ["Enter a valid URL."],
        "group_size": ["Enter a number."],
        "topic": ["Select a valid choice. Something else is not one of the available choices."],
        "consent": ["This field is required."],
    }
    assert not FormSubmission.objects.exists()
