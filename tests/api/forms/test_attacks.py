"""Attacks on the public form mutation, each class with its variants, through HTTP."""

import datetime
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from api.forms import guards
from tests.api.forms.conftest import GOOD, SUBMIT, VALID, fetch_form, submit


def post(client, body, **headers):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json", **headers)


def values_with(name, value):
    return [(n, value if n == name else v) for n, v in VALID]


@pytest.mark.parametrize(
    "token", [12, 1.5, True, {"a": 1}, ["x"]], ids=["int", "float", "bool", "object", "list"]
)
def test_a_token_of_the_wrong_type_is_a_bad_request(client, join_page, token):
    variables = {"path": "/join/", "values": [{"name": "email", "value": "a@b.org"}], "token": token}
    response = post(client, {"query": SUBMIT, "variables": variables})
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not FormSubmission.objects.exists()


def test_a_tampered_token_is_a_bad_request(client, join_page):
    token = fetch_form(client)[1]["token"]
    value, stamp, signature = token.split(":")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    for forged in (
        f"{value}:{stamp}:{flipped}",
        f"{value}:0:{signature}",
        f"{join_page.pk + 1}:{stamp}:{signature}",
    ):
        response = submit(client, VALID, token=forged)
        assert response.status_code == 400, response.json()
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        "email",
        [{"name": "email", "value": None}],
        [{"value": "x"}],
        [{"name": "email"}],
        [None],
        [{"name": {"a": "b"}, "value": "x"}],
        [{"name": "email", "value": ["a", "b"]}],
        [{"name": "email", "value": "x", "extra": 1}],
    ],
    ids=[
        "string",
        "null-value",
        "no-name",
        "no-value",
        "null-item",
        "object-name",
        "list-value",
        "extra-key",
    ],
)
def test_malformed_values_are_a_bad_request(client, join_page, values):
    token = fetch_form(client)[1]["token"]
    response = post(
        client, {"query": SUBMIT, "variables": {"path": "/join/", "values": values, "token": token}}
    )
    assert response.status_code == 400, response.json()
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("age", "1e309"),
        ("age", "NaN"),
        ("age", "Infinity"),
        ("age", "-Infinity"),
        ("age", "1" * 40),
        ("membership", "Platinum"),
        ("interests", "Knitting"),
        ("full_name", "x" * 256),
    ],
)
def test_a_value_the_field_cannot_take_is_a_field_error(client, join_page, name, value):
    response = submit(client, [*(v for v in VALID if v[0] != name), (name, value)])
    payload = response.json()
    assert response.status_code == 200, payload
    result = payload["data"]["submitForm"]
    assert result["ok"] is False
    assert [e["field"] for e in result["errors"]] == [name]
    assert not FormSubmission.objects.exists()


def test_a_submission_once_accepted_stores_what_was_sent_unchanged(client, join_page):
    formula = '=HYPERLINK("http://evil.example","x")'
    response = submit(client, values_with("full_name", formula))
    assert response.json()["data"]["submitForm"]["ok"], response.json()
    assert FormSubmission.objects.get().get_data()["full_name"] == formula


@pytest.mark.parametrize("name", ["full_name", "email", "i_agree_to_be_contacted", "interests", "website"])
def test_a_nul_character_is_a_bad_request_never_stored(client, join_page, name):
    # PostgreSQL cannot store U+0000 in text or jsonb: refused before anything runs.
    response = submit(client, [*(v for v in VALID if v[0] != name), (name, "Ana\u0000Quispe")])
    payload = response.json()
    assert response.status_code == 400, payload
    assert payload["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Quispe" not in response.content.decode()
    assert not FormSubmission.objects.exists()


def _aliased(count):
    fields = " ".join(
        f"s{i}: submitForm(path: $path, values: $values, token: $token) {{ ok }}" for i in range(count)
    )
    return f"mutation M($path: String!, $values: [FormValueInput!]!, $token: String) {{ {fields} }}"


def _variables(client):
    token = fetch_form(client)[1]["token"]
    return {"path": "/join/", "values": [{"name": n, "value": v} for n, v in VALID], "token": token}


@pytest.mark.parametrize("count", [2, 10, 50])
def test_one_request_sends_a_form_once_however_many_aliases(client, join_page, settings, count):
    settings.RATE_LIMIT_ENABLED = False
    response = post(client, {"query": _aliased(count), "variables": _variables(client)})
    assert response.status_code == 400, response.json()
    assert not FormSubmission.objects.exists()


def test_fragments_on_the_mutation_type_cannot_repeat_it(client, join_page, settings):
    settings.RATE_LIMIT_ENABLED = False
    query = (
        "mutation M($path: String!, $values: [FormValueInput!]!, $token: String) { ...A ...B "
        "... on Mutation { c: submitForm(path: $path, values: $values, token: $token) { ok } } }\n"
        "fragment A on Mutation { a: submitForm(path: $path, values: $values, token: $token) { ok } }\n"
        "fragment B on Mutation { b: submitForm(path: $path, values: $values, token: $token) { ok } }"
    )
    response = post(client, {"query": query, "variables": _variables(client)})
    assert response.status_code == 400, response.json()
    assert not FormSubmission.objects.exists()


def test_a_fragment_on_the_mutation_type_sending_once_is_fine(client, join_page):
    query = (
        "mutation M($path: String!, $values: [FormValueInput!]!, $token: String) { __typename ...A }\n"
        "fragment A on Mutation { submitForm(path: $path, values: $values, token: $token) { ok } }"
    )
    response = post(client, {"query": query, "variables": _variables(client)})
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["submitForm"]["ok"] is True
    assert FormSubmission.objects.count() == 1


def test_a_batch_carrying_a_mutation_is_refused(client, join_page):
    variables = _variables(client)
    response = post(client, [{"query": SUBMIT, "variables": variables}] * 3)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCH_NOT_SUPPORTED"
    assert not FormSubmission.objects.exists()


def test_an_operation_name_picking_the_mutation_over_get_is_refused(client, join_page):
    document = "query Q { __typename }\n" + SUBMIT
    variables = json.dumps(_variables(client))
    response = client.get("/graphql/", {"query": document, "operationName": "Submit", "variables": variables})
    assert response.status_code == 405, response.json()
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json; charset=utf-8", 200),
        ("APPLICATION/JSON", 200),
        ("Application/Json; Charset=UTF-8", 200),
        ("application/json-patch+json", 415),
        ("text/json", 415),
        ("application/x-www-form-urlencoded", 415),
        ("text/plain", 415),
    ],
)
def test_the_content_type_of_a_mutation(client, join_page, content_type, status):
    body = json.dumps({"query": SUBMIT, "variables": _variables(client)})
    response = client.post("/graphql/", data=body, content_type=content_type)
    assert response.status_code == status, response.content
    assert FormSubmission.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("null", 403),
        ("https://evil.example", 403),
        ("http://testserver", 403),
        ("https://frontend.example", 200),
    ],
)
def test_the_origin_of_a_mutation(client, join_page, settings, origin, status):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.example"]
    response = post(client, {"query": SUBMIT, "variables": _variables(client)}, HTTP_ORIGIN=origin)
    assert response.status_code == status, response.json()
    if status == 403:
        assert response.json()["errors"][0]["extensions"]["code"] == "ORIGIN_NOT_ALLOWED"
    assert FormSubmission.objects.count() == (1 if status == 200 else 0)


def test_an_editors_session_gives_a_submission_nothing(client, join_page):
    # A same-site page could make an editor's browser post with the session cookie: the mutation
    # reads no user, so the submission is the same anonymous one anybody could send.
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    response = post(client, {"query": SUBMIT, "variables": _variables(client)})
    assert response.json()["data"]["submitForm"]["ok"] is True
    assert FormSubmission.objects.get().page_id == join_page.pk
    assert not hasattr(FormSubmission, "user") or FormSubmission.objects.get().__dict__.get("user_id") is None


def test_a_preflight_for_a_json_post_grants_credentials_to_frontends_only(client, join_page, settings):
    # Queries are public reads over JSON POST from any origin, so any origin's preflight is
    # answered; only a frontend's with credentials, and a foreign origin's mutation is still 403.
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.example"]

    def preflight(origin):
        return client.options(
            "/graphql/",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
        )

    ours = preflight("https://frontend.example")
    assert ours["Access-Control-Allow-Origin"] == "https://frontend.example"
    assert ours["Access-Control-Allow-Credentials"] == "true"
    theirs = preflight("https://evil.example")
    assert theirs["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in theirs
    refused = post(
        client, {"query": SUBMIT, "variables": _variables(client)}, HTTP_ORIGIN="https://evil.example"
    )
    assert refused.status_code == 403


def test_a_token_from_the_future_is_answered_ok_and_dropped(client, join_page, settings, monkeypatch):
    settings.FORMS_MIN_FILL_SECONDS = 3
    later = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    token = guards.form_token(join_page.pk)
    monkeypatch.undo()
    response = submit(client, VALID, token=token)
    assert response.json()["data"]["submitForm"]["ok"] is True
    assert not FormSubmission.objects.exists()


def test_one_token_replayed_is_bounded_by_the_rate_limit(client, join_page, settings):
    # A token says when a form was handed out, not that it is unused: each replay is one more
    # submission against the client's FORMS_RATE_LIMIT_SUBMISSIONS.
    settings.RATE_LIMIT_ENABLED = True
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 3
    token = fetch_form(client)[1]["token"]
    statuses = [submit(client, VALID, token=token).status_code for _ in range(8)]
    assert statuses == [200] * 3 + [429] * 5
    assert FormSubmission.objects.count() == 3


@pytest.mark.parametrize(
    "value", ["0000-00-00", "2024-02-30", "99999-01-01", "2024-1-1x", "０２０２４-01-01"]
)
def test_an_impossible_date_is_a_field_error(client, contact_page, value):
    values = [(n, value if n == "visit_date" else v) for n, v in GOOD]
    response = submit(client, values, path="/contact/")
    result = response.json()["data"]["submitForm"]
    assert response.status_code == 200
    assert result["ok"] is False
    assert [e["field"] for e in result["errors"]] == ["visit_date"]
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize("value", ["maybe", "yes please", "2", "[true]", "null"])
def test_a_checkbox_answer_other_than_true_or_false_is_a_field_error(client, contact_page, value):
    values = [(n, value if n == "consent" else v) for n, v in GOOD]
    result = submit(client, values, path="/contact/").json()["data"]["submitForm"]
    assert result["ok"] is False
    assert [e["field"] for e in result["errors"]] == ["consent"]
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    ("value", "stored"), [("true", True), ("TRUE", True), ("on", True), ("false", False)]
)
def test_a_checkbox_takes_true_or_false(client, contact_page, value, stored):
    page = contact_page
    page.form_fields.filter(field_type="checkbox").update(required=False)
    values = [(n, value if n == "consent" else v) for n, v in GOOD]
    assert submit(client, values, path="/contact/").json()["data"]["submitForm"]["ok"] is True
    assert FormSubmission.objects.get().form_data["consent"] is stored


def test_answers_at_the_length_limits(client, join_page, settings):
    settings.RATE_LIMIT_ENABLED = False
    assert submit(client, values_with("full_name", "x" * 255)).json()["data"]["submitForm"]["ok"]
    over = submit(client, values_with("full_name", "x" * 256)).json()["data"]["submitForm"]
    assert over["errors"][0]["field"] == "full_name"
    too_long = submit(client, values_with("full_name", "x" * (settings.FORMS_MAX_VALUE_CHARS + 1)))
    assert too_long.status_code == 400
    too_long_name = submit(client, [*VALID, ("n" * 101, "x")])
    assert too_long_name.status_code == 400
    assert FormSubmission.objects.count() == 1


def test_deeply_nested_variables_are_a_bad_request(client, join_page):
    nested = "[" * 5000 + "]" * 5000
    body = '{"query": "mutation { __typename }", "variables": {"values": ' + nested + "}}"
    response = client.post("/graphql/", data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert not FormSubmission.objects.exists()


def test_a_submitted_value_echoed_in_an_error_is_never_logged(client, join_page, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "zq-marker-echo-91"
    submit(client, values_with("membership", marker))  # "…is not one of the available choices"
    submit(client, [*VALID, (marker, "x")])  # an unknown name
    token = fetch_form(client)[1]["token"]
    variables = {"path": "/join/", "values": [{"name": "email", "value": {"x": marker}}], "token": token}
    post(client, {"query": SUBMIT, "variables": variables})
    post(client, {"query": SUBMIT, "variables": {**variables, "token": {"t": marker}}})
    assert marker not in caplog.text
    for record in caplog.records:
        assert marker not in str(record.args)
