"""A mutation comes only as a JSON POST from a frontend's origin, and is never cached or replayed."""

import json

import pytest
from wagtail.contrib.forms.models import FormSubmission

from api.forms import guards
from cms.generation import current_generation
from tests.api import apq
from tests.api.forms.conftest import SUBMIT, VALID, fetch_form, submit


def body(join_page, token):
    return {
        "query": SUBMIT,
        "variables": {
            "path": "/join/",
            "values": [{"name": name, "value": value} for name, value in VALID],
            "token": token,
        },
    }


def codes(response):
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def test_a_mutation_over_get_is_405(client, join_page):
    payload = body(join_page, guards.form_token(join_page.pk))
    response = client.get(
        "/graphql/", {"query": payload["query"], "variables": json.dumps(payload["variables"])}
    )
    assert response.status_code == 405
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert response["Cache-Control"] == "no-store"
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_simple_request_carrying_a_mutation_is_refused(client, join_page, content_type):
    # What a hostile page can make a browser send cross-origin without asking first.
    response = client.post(
        "/graphql/",
        data=json.dumps(body(join_page, guards.form_token(join_page.pk))),
        content_type=content_type,
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 415
    assert not FormSubmission.objects.exists()


def test_a_mutation_as_application_graphql_is_refused(client, join_page):
    response = client.post(
        "/graphql/",
        data='mutation { submitForm(path: "/join/", values: []) { ok } }',
        content_type="application/graphql",
    )
    assert response.status_code == 415
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


def test_a_foreign_origin_is_403_with_a_json_error(client, join_page):
    response = submit(client, VALID, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert codes(response) == ["ORIGIN_NOT_ALLOWED"]
    assert not FormSubmission.objects.exists()


def test_the_configured_frontend_origins_may_submit(client, join_page, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.perusupportgroup.org.uk"]
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [r"https://[a-z0-9-]+\.psg-preview\.example"]
    for origin in (
        "https://frontend.test",
        "https://www.perusupportgroup.org.uk",
        "https://pr-7.psg-preview.example",
    ):
        response = submit(client, VALID, HTTP_ORIGIN=origin)
        assert response.status_code == 200, (origin, response.json())
    assert FormSubmission.objects.count() == 3


def test_a_server_without_an_origin_may_submit(client, join_page):
    # A frontend's server (no browser, so no Origin header) sends for its reader.
    assert submit(client, VALID).json()["data"]["submitForm"]["ok"] is True


def test_the_same_mutation_twice_runs_twice(client, join_page):
    token = fetch_form(client)[1]["token"]
    first = submit(client, VALID, token=token)
    second = submit(client, VALID, token=token)
    for response in (first, second):
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert "X-Cache" not in response
        assert "ETag" not in response
    assert FormSubmission.objects.count() == 2


def test_a_post_to_the_pages_own_url_stores_nothing(client, join_page, settings):
    # The Wagtail URL of a form page is not a way round the API's guards.
    settings.FRONTEND_URL = ""
    response = client.post("/join/", {"full_name": "Bot", "email": "bot@example.org"})
    assert response.status_code in (200, 405)
    assert not FormSubmission.objects.exists()


def test_the_allowlist_lets_the_mutation_sent_in_full_through(client, join_page, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    token = guards.form_token(join_page.pk)  # the token query is one a build would have loaded
    assert submit(client, VALID, token=token).json()["data"]["submitForm"]["ok"] is True
    assert FormSubmission.objects.count() == 1
    # A query that is not on the allowlist is still refused.
    assert (
        client.post(
            "/graphql/", data={"query": "query Q { __typename }"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_a_mutation_is_never_registered_as_a_persisted_query(client, join_page):
    payload = body(join_page, guards.form_token(join_page.pk))
    sha256_hash = apq.sha256(payload["query"])
    sent = apq.post(client, payload["query"], sha256_hash, payload["variables"])
    assert sent.json()["data"]["submitForm"]["ok"] is True
    by_hash = apq.post(client, None, sha256_hash, payload["variables"])
    assert by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert FormSubmission.objects.count() == 1


def test_a_submission_is_no_content_change(client, join_page, django_capture_on_commit_callbacks):
    # Cached answers and the HTTP cache tier stay: a reader's submission must not empty them.
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, VALID).json()["data"]["submitForm"]["ok"] is True
    assert FormSubmission.objects.count() == 1
    assert current_generation() == before
