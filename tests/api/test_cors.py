"""Partner sites read public answers from any origin; only the frontend may send credentials."""

import json

import pytest

pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})


@pytest.fixture(autouse=True)
def _frontend(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [r"https://[a-z]+\.psg\.test"]


def post(client, origin):
    return client.post("/graphql/", data=QUERY, content_type="application/json", HTTP_ORIGIN=origin)


def test_any_origin_reads_without_credentials(client):
    response = post(client, "https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_the_frontend_may_send_credentials(client):
    response = post(client, "https://frontend.test")
    assert response["Access-Control-Allow-Origin"] == "https://frontend.test"
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_regex_origins_are_anchored_at_both_ends(client):
    assert post(client, "https://www.psg.test")["Access-Control-Allow-Credentials"] == "true"
    spoof = post(client, "https://www.psg.test.evil.example")
    assert spoof["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in spoof


def test_preflight_allows_get_post_options_only(client):
    response = client.options(
        "/graphql/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "POST", "OPTIONS"}
    assert "content-type" in response["Access-Control-Allow-Headers"]


def test_no_csrf_cookie_and_no_vary_cookie(client):
    response = post(client, "https://partner.example")
    assert "csrftoken" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_admin_is_not_opened_to_other_origins(client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in response


def test_any_origin_may_read_the_headers_a_client_acts_on(client):
    # The ETag to revalidate with, the request id to quote and Retry-After after a 429: a browser
    # hides every other header from a partner's script unless it is exposed.
    for origin in ("https://partner.example", "https://frontend.test"):
        exposed = post(client, origin)["Access-Control-Expose-Headers"]
        assert {name.strip().lower() for name in exposed.split(",")} == {
            "etag",
            "x-request-id",
            "retry-after",
        }


def test_a_preflight_allows_a_request_id_of_the_clients_own(client):
    for origin in ("https://partner.example", "https://frontend.test"):
        response = client.options(
            "/graphql/",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-request-id",
        )
        allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
        assert {"content-type", "x-request-id"} <= allowed


def test_a_clients_request_id_is_echoed(client):
    response = client.post(
        "/graphql/",
        data=QUERY,
        content_type="application/json",
        HTTP_ORIGIN="https://partner.example",
        HTTP_X_REQUEST_ID="partner-1",
    )
    assert response["X-Request-ID"] == "partner-1"
