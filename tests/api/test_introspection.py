"""The standard introspection queries are answered wherever introspection is on, within bounds of their own.

GraphiQL's docs explorer, Apollo Sandbox, Postman and graphql-codegen pointed at the URL all send
graphql-js's introspection query (graphql-core's `get_introspection_query()` is its port): 15
levels deep, mostly `ofType` unwrapping, over the content queries' MAX_DEPTH of 10. Introspection
is counted apart, against MAX_INTROSPECTION_DEPTH and MAX_INTROSPECTION_FIELDS, and graphql-core's
MaxIntrospectionDepthRule refuses the costly cycles (`fields { type { fields … } }`).
"""

import json

import pytest
from graphql import build_client_schema, get_introspection_query
from graphql.utilities import print_schema

from tests.test_frontend_guide import SCHEMA_SDL

pytestmark = pytest.mark.django_db

STANDARD = {
    "defaults": get_introspection_query(),
    "every option": get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    ),
}


def post(client, query):
    response = client.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    return response, response.json()


def nested(field: str, levels: int, leaf: str) -> str:
    return f"{field} {{ " * levels + leaf + " }" * levels


@pytest.mark.parametrize("query", STANDARD.values(), ids=STANDARD.keys())
def test_standard_introspection_query_is_answered(client, query):
    response, payload = post(client, query)
    assert response.status_code == 200, payload
    assert "errors" not in payload
    # A client builds the schema from it: the same schema as the committed schema.graphql.
    served = build_client_schema(payload["data"])
    assert "NewsPage" in served.type_map
    assert print_schema(served).strip() == SCHEMA_SDL.read_text(encoding="utf-8").strip()


def test_standard_introspection_query_over_get(client):
    response = client.get("/graphql/", {"query": STANDARD["every option"]})
    assert response.status_code == 200, response.content[:500]
    assert response.json()["data"]["__schema"]["queryType"] == {"name": "Query", "kind": "OBJECT"}


def featured(levels: int) -> str:
    """`home` and `levels` of featured pages below it: levels + 2 deep with the leaf."""
    return "home { " + "featuredPages { ... on HomePage { " * levels + "title" + " } }" * levels + " }"


def test_content_queries_keep_their_depth_limit_beside_introspection(client):
    response, payload = post(client, "{ __schema { queryType { name } } " + featured(8) + " }")
    assert response.status_code == 200, payload  # 10 levels of content
    response, payload = post(client, "{ __schema { queryType { name } } " + featured(9) + " }")
    assert response.status_code == 400, payload
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "nested more than 10 levels deep; the limit is 10" in error["message"]


def test_introspection_nested_past_its_own_bound_is_refused(client):
    response, payload = post(client, '{ __type(name: "Page") { ' + nested("ofType", 25, "name") + " } }")
    assert response.status_code == 400, payload
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "the limit for introspection is 20" in error["message"]


def test_introspection_within_its_bound_is_answered(client):
    response, payload = post(client, '{ __type(name: "Page") { ' + nested("ofType", 17, "name") + " } }")
    assert response.status_code == 200, payload
    assert payload["data"]["__type"]["ofType"] is None


def test_introspection_hidden_in_fragments_is_bounded_too(client):
    fragments = " ".join(f"fragment T{i} on __Type {{ ofType {{ ...T{i + 1} }} }}" for i in range(24))
    query = '{ __type(name: "Page") { ...T0 } } ' + fragments + " fragment T24 on __Type { name }"
    response, payload = post(client, query)
    assert response.status_code == 400, payload
    assert payload["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_costly_introspection_cycles_are_refused(client):
    # Types, their fields, those fields' types, their fields…: the answer multiplies at each level.
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    response, payload = post(client, query)
    assert response.status_code == 400, payload
    assert payload["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Maximum introspection depth exceeded" in payload["errors"][0]["message"]


def test_introspection_field_bound_applies(client, settings):
    settings.GRAPHQL_LIMITS = {**settings.GRAPHQL_LIMITS, "MAX_INTROSPECTION_FIELDS": 50}
    response, payload = post(client, STANDARD["defaults"])
    assert response.status_code == 400, payload
    assert "more than 50 introspection fields" in payload["errors"][0]["message"]


def test_introspection_off_says_so_rather_than_too_complex(client, settings):
    settings.GRAPHQL_INTROSPECTION = False
    response, payload = post(client, STANDARD["every option"])
    assert response.status_code == 400, payload
    (error, *_) = payload["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in error["message"].lower()


def test_introspection_answer_multiplied_by_aliases_is_refused(client):
    """`types` under twenty names would answer the schema's description twenty times (~1 MB, 1 s)."""
    lists = "fields { name args { name type { name } } type { name } }"
    inner = " ".join(f"t{i}: types {{ name {lists} }}" for i in range(5))
    response, payload = post(client, "{ __schema { " + inner + " } }")
    assert response.status_code == 400, payload
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "more than 12 introspection lists" in error["message"]
    # Twice the standard query under two names, likewise; once is answered (above).
    twice = "{ a: __schema { types { name } } b: __schema { types { name } } }"
    assert post(client, twice)[0].status_code == 200  # two lists: cheap, and allowed
    doubled = STANDARD["defaults"].replace(
        "__schema {", "a: __schema { types { ...FullType } } b: __schema {", 1
    )
    response, payload = post(client, doubled)
    assert response.status_code == 400, payload
    assert "introspection lists" in payload["errors"][0]["message"]


@pytest.mark.parametrize(
    ("scalar", "says"),
    [("Date", "`YYYY-MM-DD`"), ("DateTime", "Europe/London"), ("Decimal", "JSON string")],
)
def test_the_scalars_describe_what_arrives_not_python(client, settings, scalar, says):
    settings.GRAPHQL_INTROSPECTION = True
    query = json.dumps({"query": f'{{ __type(name: "{scalar}") {{ description }} }}'})
    response = client.post("/graphql/", data=query, content_type="application/json")
    description = response.json()["data"]["__type"]["description"]
    assert says in description
    assert "python" not in description.lower()
