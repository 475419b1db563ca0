"""Errors raised before execution begins (syntax, variables, the operation to run): HTTP 400, no
`data` entry at all (GraphQL over HTTP), and where in the query or which variable is at fault."""

import json

import pytest

from tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def request_error(client, body):
    response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    payload = response.json()
    assert response.status_code == 400, payload
    assert "data" not in payload, payload
    [error] = payload["errors"]
    return error


def test_a_syntax_error_says_where(client):
    error = request_error(client, {"query": "{\n  news {\n    items { title ]\n  }\n}"})
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert error["message"] == "Syntax Error: Expected Name, found ']'."
    assert error["locations"] == [{"line": 3, "column": 19}]


def test_a_syntax_error_in_a_string_says_where(client):
    error = request_error(client, {"query": '{ page(path: "/a) { title } }'})
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert error["locations"] == [{"line": 1, "column": 30}]


@pytest.mark.parametrize(
    ("variables", "message_part"),
    [
        ({"size": "ten"}, "Int cannot represent non-integer value"),
        ({"size": 1.5}, "Int cannot represent non-integer value"),
    ],
)
def test_a_variable_of_the_wrong_type_is_named(client, variables, message_part):
    query = "query Listing($size: Int) {\n  news(pageSize: $size) { items { title } }\n}"
    error = request_error(client, {"query": query, "variables": variables})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "variable": "size"}
    assert message_part in error["message"]
    assert error["locations"] == [{"line": 1, "column": 15}]


def test_a_missing_required_variable_is_named(client):
    query = "query Item($path: String!) { page(path: $path) { title } }"
    error = request_error(client, {"query": query, "variables": {}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "variable": "path"}
    assert "was not provided" in error["message"]


def test_a_null_for_a_required_variable_is_named(client):
    query = "query Item($path: String!) { page(path: $path) { title } }"
    error = request_error(client, {"query": query, "variables": {"path": None}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "variable": "path"}


def test_an_unknown_operation_name(client):
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}
    error = request_error(client, body)
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert error["message"] == "Unknown operation named 'C'."


def test_several_operations_and_no_name(client):
    error = request_error(client, {"query": "query A { __typename } query B { __typename }"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert error["message"] == "Must provide operation name if query contains multiple operations."


def test_a_field_error_keeps_its_data_entry(client):
    # Execution began: `data` is there, null as far as the error reached.
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": "{ news(pageSize: 100) { items { title } } }"}),
        content_type="application/json",
    )
    payload = response.json()
    assert response.status_code == 400
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "pageSize"}


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        (
            '{ events(startsFrom: "2016-13-01") { items { title } } }',
            "Date cannot represent value: '2016-13-01'",
            22,
        ),
        (
            "{ events(startsFrom: 20160101) { items { title } } }",
            "Date cannot represent non-string value",
            22,
        ),
        ('{ news(pageSize: "ten") { items { title } } }', "Int cannot represent non-integer value", 18),
    ],
)
def test_a_literal_of_the_wrong_type_says_where(client, query, message, column):
    error = request_error(client, {"query": query})
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert message in error["message"]
    assert error["locations"] == [{"line": 1, "column": column}]
