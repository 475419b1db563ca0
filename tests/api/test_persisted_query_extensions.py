"""A malformed `extensions` is a 400 with an error to read, over GET and POST, whatever is in it."""

import json

import pytest

from tests.api import apq

pytestmark = pytest.mark.django_db

HASH = apq.sha256("{ __typename }")
DEEP = json.loads("[" * 40 + "]" * 40)

MALFORMED = {
    "a list": [],
    "a string": "persistedQuery",
    "a number": 1,
    "persistedQuery a string": {"persistedQuery": HASH},
    "persistedQuery a list": {"persistedQuery": [1, HASH]},
    "no version": {"persistedQuery": {"sha256Hash": HASH}},
    "version 2": {"persistedQuery": {"version": 2, "sha256Hash": HASH}},
    "version as a string": {"persistedQuery": {"version": "1", "sha256Hash": HASH}},
    "version true": {"persistedQuery": {"version": True, "sha256Hash": HASH}},
    "version huge": {"persistedQuery": {"version": 10**300, "sha256Hash": HASH}},
    "version an object": {"persistedQuery": {"version": {"n": 1}, "sha256Hash": HASH}},
    "no hash": {"persistedQuery": {"version": 1}},
    "hash null": {"persistedQuery": {"version": 1, "sha256Hash": None}},
    "hash a number": {"persistedQuery": {"version": 1, "sha256Hash": 12345}},
    "hash a list": {"persistedQuery": {"version": 1, "sha256Hash": [HASH]}},
    "hash not hex": {"persistedQuery": {"version": 1, "sha256Hash": "g" * 64}},
    "hash too short": {"persistedQuery": {"version": 1, "sha256Hash": HASH[:63]}},
    "hash too long": {"persistedQuery": {"version": 1, "sha256Hash": HASH + "0"}},
    "hash with a newline": {"persistedQuery": {"version": 1, "sha256Hash": HASH + "\n"}},
    "hash with a NUL": {"persistedQuery": {"version": 1, "sha256Hash": HASH[:63] + "\u0000"}},
    "hash in Arabic-Indic digits": {"persistedQuery": {"version": 1, "sha256Hash": "\u0661" * 64}},
    "hash huge": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 15_000}},
    "nested deep": {"persistedQuery": {"version": 1, "sha256Hash": HASH, "x": DEEP}},
}


def _raw(value):
    return json.dumps(value)


@pytest.mark.parametrize("extensions", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_extensions_over_get_is_a_400(client, extensions):
    response = client.get("/graphql/", {"extensions": _raw(extensions)})
    assert response.status_code == 400, response.content
    assert apq.codes(response) == ["BAD_REQUEST"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("extensions", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_extensions_over_post_is_a_400(client, extensions):
    body = json.dumps({"extensions": extensions})
    response = client.post("/graphql/", data=body, content_type="application/json")
    # The longest case is over the body limit: refused for that before it is read.
    assert response.status_code == (413 if len(body) > 20_000 else 400), response.content
    assert apq.codes(response) == ["REQUEST_TOO_LARGE" if len(body) > 20_000 else "BAD_REQUEST"]


@pytest.mark.parametrize(
    "raw",
    ["not json", "{", '{"persistedQuery": {"version": NaN}}', '{"a": 1, "a": 2}', "1e999", '"\\ud800"'],
    ids=["not-json", "unfinished", "nan", "key-twice", "infinite", "lone-surrogate"],
)
def test_extensions_that_are_not_json_are_a_400(client, raw):
    response = client.get("/graphql/", {"extensions": raw})
    assert response.status_code == 400, response.content
    assert apq.codes(response) == ["BAD_REQUEST"]


def test_extensions_given_twice_are_a_400(client):
    extensions = _raw(apq.extensions(HASH))
    response = client.get(f"/graphql/?extensions={extensions}&extensions={extensions}")
    assert response.status_code == 400
    assert apq.codes(response) == ["BAD_REQUEST"]


def test_other_extensions_are_left_alone(client):
    response = apq.post(client, "{ __typename }")
    assert response.json() == {"data": {"__typename": "Query"}}
    body = {"query": "{ __typename }", "extensions": {"tracing": True, "clientLibrary": {"name": "x"}}}
    response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_query_that_is_not_a_string_with_a_hash_is_a_400(client):
    body = {"query": ["{ __typename }"], "extensions": apq.extensions(HASH)}
    response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert apq.codes(response) == ["BAD_REQUEST"]


def test_a_query_with_a_lone_surrogate_and_a_hash_is_refused_not_a_crash(client):
    body = '{"query": "{ __typename } # \\ud800", "extensions": ' + _raw(apq.extensions(HASH)) + "}"
    response = client.post("/graphql/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert apq.codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]
