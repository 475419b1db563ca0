"""Hostile and malformed requests get a clear JSON error with the right status, never a 500."""

import json

import pytest

from api.graphql import parsing
from tests.factories import make_site

pytestmark = pytest.mark.django_db


def post_json(client, body, **extra):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json", **extra)


def codes(response):
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def test_invalid_json_is_400(client):
    response = client.post("/graphql/", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


def test_syntax_error_is_400(client):
    response = post_json(client, {"query": "{ news { "})
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_PARSE_FAILED"]


def test_unknown_field_is_400_without_leaking_model_fields(client):
    response = post_json(client, {"query": "{ news { items { draftTitle } } }"})
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_mutation_the_schema_does_not_have_is_400(client):
    # The one mutation is submitForm (tests/api/forms/); a query's fields are not mutations.
    response = post_json(client, {"query": "mutation { news { pagination { page } } }"})
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]


def test_wrong_method_is_405(client):
    response = client.put("/graphql/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert codes(response) == ["METHOD_NOT_ALLOWED"]


def test_batch_is_refused(client):
    response = post_json(client, [{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert response.status_code == 400
    assert codes(response) == ["BATCH_NOT_SUPPORTED"]


def test_oversized_body_is_413(client):
    response = post_json(client, {"query": "{ __typename }", "padding": "x" * 30_000})
    assert response.status_code == 413
    assert codes(response) == ["REQUEST_TOO_LARGE"]


def test_too_many_tokens_is_400_before_parsing(client, monkeypatch):
    def parse_must_not_run(*args, **kwargs):
        raise AssertionError("parsed a token flood")

    monkeypatch.setattr("api.graphql.parsing.parse", parse_must_not_run)
    parsing._parse.cache_clear()
    query = "{ " + " ".join("a" for _ in range(2500)) + " }"  # under the size limits
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]


def test_too_deep_is_400(client):
    query = "{ news { items { " + "mainImage { " * 12 + "id" + " }" * 12 + " } } }"
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert "QUERY_TOO_COMPLEX" in codes(response) or "GRAPHQL_VALIDATION_FAILED" in codes(response)


def test_too_many_aliases_is_400(client):
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(25)) + " }"
    response = post_json(client, {"query": query})
    assert response.status_code == 400
    assert "QUERY_TOO_COMPLEX" in codes(response)


def test_undefined_fragment_is_400_not_500(client):
    response = post_json(client, {"query": "{ news { ...Missing } }"})
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]


def test_bad_variable_type_is_400(client):
    make_site()
    response = post_json(
        client, {"query": "query($p: Int!) { news(page: $p) { items { id } } }", "variables": {"p": "x"}}
    )
    assert response.status_code == 400
    assert response.json()["errors"]


def test_typename_always_works(client, settings):
    settings.GRAPHQL_INTROSPECTION = False
    response = post_json(client, {"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
    refused = post_json(client, {"query": "{ __schema { types { name } } }"})
    assert refused.status_code == 400


def test_get_query_works_and_mutation_over_get_is_405(client):
    make_site()
    response = client.get("/graphql/", {"query": "{ news { pagination { totalCount } } }"})
    assert response.status_code == 200
    assert response.json()["data"]["news"]["pagination"]["totalCount"] == 0
    refused = client.get("/graphql/", {"query": "mutation { __typename }"})
    assert refused.status_code == 405
    assert codes(refused) == ["METHOD_NOT_ALLOWED"]


def test_unexpected_error_is_500_json_with_request_id_and_no_trace(client, monkeypatch):
    make_site()

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals at db.internal:5432")

    monkeypatch.setattr("news.schema.news_items", explode)
    response = post_json(client, {"query": "{ news { items { id } } }"}, HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 500
    body = response.json()
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"}
    assert "db.internal" not in response.content.decode()
    assert response["X-Request-ID"] == "req-123"


@pytest.mark.parametrize(
    "path", ["/graphql/x", "/graphql/x/", "/graphql//", "/graphql/.", "/graphql/graphql/"]
)
@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_other_paths_under_graphql_are_a_json_404(path, method):
    # Not the site's HTML 404, the trailing-slash redirect to it, or the CSRF check's HTML 403.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    if method == "get":
        response = client.get(path, {"query": "{ __typename }"})
    else:
        response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert codes(response) == ["NOT_FOUND"]
    assert response["X-Request-ID"]
