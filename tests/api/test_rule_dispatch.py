"""Validation with each rule's visit methods found once per class (api/graphql/rule_dispatch.py)
finds exactly what graphql-core's own rules find, valid documents and invalid ones alike."""

import pytest
from graphql import NoSchemaIntrospectionCustomRule, parse, specified_rules, validate

from api.graphql import rule_dispatch
from api.graphql.limits import validation_rules
from api.graphql.schema import schema
from bench.scenarios import EVENTS_QUERY, NEWS_QUERY, PAGE_QUERY, SEARCH_QUERY

VALID = [
    NEWS_QUERY,
    PAGE_QUERY,
    EVENTS_QUERY,
    SEARCH_QUERY,
    "query Q($page: Int = 2) { news(page: $page) { ...Items pagination { totalCount } } }"
    " fragment Items on NewsConnection { items { title ... on NewsPage { summary } } }",
    "{ a: news(pageSize: 1) { items { title } }"
    " b: news(pageSize: 2) { items { title @include(if: true) } } }",
]

INVALID = [
    "{ news { items { nope } } }",  # unknown field
    '{ news(pageSize: "ten") { items { title } } }',  # wrong argument type
    "{ news(nope: 1) { items { title } } }",  # unknown argument
    "query($n: Int) { news(pageSize: $m) { items { title } } }",  # undefined and unused variables
    "query($n: String) { news(pageSize: $n) { items { title } } }",  # variable in the wrong position
    "query($n: Int, $n: Int) { news(pageSize: $n) { items { title } } }",  # duplicate variable
    "{ news { items { ...A } } } fragment A on NewsPage { ...B } fragment B on NewsPage { ...A }",  # cycle
    "{ news { items { title } } } fragment Unused on NewsPage { title }",  # unused fragment
    "{ news { items { ...Missing } } }",  # unknown fragment
    "{ news { items { ... on Venue { name } } } }",  # impossible spread
    "{ news { items { title: summary title } } }",  # conflicting fields
    "{ news { items { title @skip } } }",  # directive without its argument
    "{ news { items { title @nope } } }",  # unknown directive
    "{ news { items { title @include(if: true) @include(if: false) } } }",  # repeated directive
    "query A { news { items { title } } } query A { news { items { title } } }",  # duplicate names
    "{ news { items { title } } } query B { news { items { title } } }",  # anonymous and named
    "{ news { items } }",  # an object without a selection
    "{ news { items { title { x } } } }",  # a selection on a leaf
    "{ __schema { types { name } } }",  # introspection, refused unless enabled
    "mutation { nope }",  # unknown mutation field
    "subscription { a b }",  # no subscriptions, and more than one root field
    "query($v: NoSuchType) { news { items { title } } }",  # unknown type
    "{ news(page: 1, page: 2) { items { title } } }",  # duplicate argument
]


def graphql_cores(document):
    rules = [*specified_rules, NoSchemaIntrospectionCustomRule]
    return validate(schema.graphql_schema, document, rules)


def errors(found):
    return [(error.message, error.locations) for error in found]


@pytest.mark.parametrize("query", VALID + INVALID)
def test_the_same_errors_as_graphql_cores_own_rules(query, settings):
    settings.GRAPHQL_INTROSPECTION = False
    document = parse(query)
    expected = errors(graphql_cores(document))
    assert errors(validate(schema.graphql_schema, document, validation_rules())) == expected
    if query in VALID:
        assert expected == []


def test_the_corpus_covers_most_of_the_specs_rules():
    # Each invalid document above trips at least one rule; together, most of the spec's.
    tripped = set()
    for query in INVALID:
        document = parse(query)
        for rule in [*specified_rules, NoSchemaIntrospectionCustomRule]:
            if validate(schema.graphql_schema, document, [rule]):
                tripped.add(rule)
    assert len(tripped) >= 20, sorted(rule.__name__ for rule in tripped)


@pytest.mark.django_db
def test_the_view_validates_with_them(client):
    rule_dispatch._method_names.clear()
    response = client.get("/graphql/", {"query": "{ news { items { title } } } # a new document"})
    assert response.status_code == 200
    assert rule_dispatch._method_names
