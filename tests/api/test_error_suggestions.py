"""With GRAPHQL_FIELD_SUGGESTIONS off (production), no error says "Did you mean …?".

A suggestion names schema members a client did not ask for (enum values, fields, types, arguments),
which is schema discovery with introspection off. Each way a graphql-core message reaches a client
is checked: validation, coercion of variables and of literal arguments, execution.
"""

import json

import graphene
import pytest
from graphql import GraphQLError

from api.graphql import view
from api.graphql import view as view_module

pytestmark = pytest.mark.django_db

SUGGESTION = "Did you mean"

# (query, variables): each gets a suggestion from graphql-core while suggestions are on.
CASES = {
    "unknown field": ("{ news { itemz { id } } }", None),
    "unknown field in a fragment": ("{ news { items { ...F } } } fragment F on NewsPage { titel }", None),
    "variable coercion (enum)": (
        "query ($o: NewsOrder) { news(order: $o) { items { id } } }",
        {"o": "NEWEST_FIRS"},
    ),
    "literal argument (enum)": ("{ news(order: NEWEST_FIRS) { items { id } } }", None),
    "literal argument (string for an enum)": ('{ news(order: "NEWEST_FIRST") { items { id } } }', None),
    "unknown argument": ("{ news(ordr: NEWEST_FIRST) { items { id } } }", None),
    "unknown type in a variable definition": (
        "query ($o: NewsOrdr) { news(order: $o) { items { id } } }",
        {"o": "NEWEST_FIRST"},
    ),
    "unknown type in a fragment": ("{ news { items { ...F } } } fragment F on NewsPag { id }", None),
}


def post(client, query, variables=None):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json")


def messages(response):
    return [error["message"] for error in response.json()["errors"]]


@pytest.fixture
def suggestions_off(settings):
    settings.GRAPHQL_FIELD_SUGGESTIONS = False


@pytest.mark.parametrize("query, variables", CASES.values(), ids=CASES.keys())
def test_no_suggestion_while_off(client, suggestions_off, query, variables):
    response = post(client, query, variables)
    assert response.status_code == 400
    assert messages(response)
    assert not any(SUGGESTION in message for message in messages(response)), messages(response)


@pytest.mark.parametrize("query, variables", CASES.values(), ids=CASES.keys())
def test_suggestion_while_on(client, settings, query, variables):
    # The same requests do get suggestions with the setting on: the cases above are real ones.
    settings.GRAPHQL_FIELD_SUGGESTIONS = True
    response = post(client, query, variables)
    assert response.status_code == 400
    assert any(SUGGESTION in message for message in messages(response)), messages(response)


@pytest.mark.parametrize("query, variables", CASES.values(), ids=CASES.keys())
def test_messages_are_stripped_where_graphql_core_still_suggests(
    client, suggestions_off, monkeypatch, query, variables
):
    # A message built where graphql-core's `hide_suggestions` does not reach is stripped all the same.
    monkeypatch.setattr(view, "_hide_suggestions", lambda: False)
    response = post(client, query, variables)
    assert response.status_code == 400
    assert not any(SUGGESTION in message for message in messages(response)), messages(response)


def test_variable_coercion_keeps_the_rest_of_the_message(client, suggestions_off):
    query, variables = CASES["variable coercion (enum)"]
    (message,) = messages(post(client, query, variables))
    assert message == (
        "Variable '$o' got invalid value 'NEWEST_FIRS'; "
        "Value 'NEWEST_FIRS' does not exist in 'NewsOrder' enum."
    )


# The public schema has no input object types and no resolver that builds a suggestion; a small
# schema served by the same view shows those paths are covered too.


class ProbeFilter(graphene.InputObjectType):
    topic = graphene.String()


class ProbeQuery(graphene.ObjectType):
    filtered = graphene.String(where=ProbeFilter())
    failing = graphene.String()

    @staticmethod
    def resolve_filtered(_root, _info, where=None):
        return "ok"

    @staticmethod
    def resolve_failing(_root, _info):
        raise GraphQLError("No topic 'minin'. Did you mean 'mining'?", extensions={"code": "BAD_USER_INPUT"})


PROBE_CASES = {
    "unknown input field in a variable": (
        "query ($w: ProbeFilter) { filtered(where: $w) }",
        {"w": {"topik": "x"}},
    ),
    "unknown input field in a literal": ('{ filtered(where: {topik: "x"}) }', None),
    "resolver error": ("{ failing }", None),
}


@pytest.fixture
def probe_schema(monkeypatch):
    monkeypatch.setattr(view_module, "schema", graphene.Schema(query=ProbeQuery))


@pytest.mark.parametrize("query, variables", PROBE_CASES.values(), ids=PROBE_CASES.keys())
def test_no_suggestion_while_off_for_inputs_and_resolvers(
    client, suggestions_off, probe_schema, query, variables
):
    response = post(client, query, variables)
    assert response.status_code == 400
    assert messages(response)
    assert not any(SUGGESTION in message for message in messages(response)), messages(response)


@pytest.mark.parametrize("query, variables", PROBE_CASES.values(), ids=PROBE_CASES.keys())
def test_suggestion_while_on_for_inputs_and_resolvers(client, settings, probe_schema, query, variables):
    settings.GRAPHQL_FIELD_SUGGESTIONS = True
    response = post(client, query, variables)
    assert response.status_code == 400
    assert any(SUGGESTION in message for message in messages(response)), messages(response)
