"""api/graphql/execution.py: the planned execution gives graphql-core's results, errors included.

Each query runs twice, through graphql-core's own ExecutionContext and through the planned one,
on a graphene schema with what the plan special-cases (graphene's default resolvers on objects
and dicts, fixed and variable arguments, enums, leaves that fail to serialize, nulls where none is
allowed, resolvers that raise), and on the project's schema over HTTP content.
"""

import json

import graphene
import pytest
from django.test import RequestFactory
from graphql import ExecutionContext, execute, parse

from api.graphql.execution import PlannedExecutionContext
from api.graphql.schema import schema as project_schema
from cms.request_cache import request_scope
from tests.factories import NewsPageFactory, TopicFactory, make_site


class Colour(graphene.Enum):
    RED = "red"
    BLUE = "blue"


class Item:
    def __init__(self, n):
        self.n = n
        self.name = f"item {n}"
        self.missing_required = None
        self.count_text = "many" if n == 2 else n


class Filter(graphene.InputObjectType):
    prefix = graphene.String()


class ItemType(graphene.ObjectType):
    n = graphene.Int(required=True)
    name = graphene.String()
    missing_required = graphene.String(required=True)
    count_text = graphene.Int()  # "many" cannot serialize as an Int
    greeting = graphene.String(times=graphene.Int(default_value=1), colour=Colour(), filter=Filter())
    failing = graphene.String()
    failing_required = graphene.String(required=True)
    path = graphene.String()

    @staticmethod
    def resolve_greeting(item, info, times, colour=None, filter=None):
        prefix = (filter or {}).get("prefix", "")
        return f"{prefix}{item.name}×{times}:{colour}"

    @staticmethod
    def resolve_failing(item, info):
        if item.n == 1:
            raise ValueError(f"no {item.n}")
        return "fine"

    @staticmethod
    def resolve_failing_required(item, info):
        if item.n == 3:
            raise ValueError("required failed")
        return "ok"

    @staticmethod
    def resolve_path(item, info):
        return ".".join(str(key) for key in info.path.as_list())


class Entry(graphene.ObjectType):
    key = graphene.String()
    value = graphene.Int()


class Query(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(ItemType), count=graphene.Int(default_value=3))
    maybe_items = graphene.List(ItemType, count=graphene.Int(default_value=3))
    entries = graphene.List(Entry)
    words = graphene.List(graphene.String)

    @staticmethod
    def resolve_items(root, info, count):
        return [Item(n) for n in range(1, count + 1)]

    @staticmethod
    def resolve_maybe_items(root, info, count):
        return [Item(n) for n in range(1, count + 1)]

    @staticmethod
    def resolve_entries(root, info):
        return [{"key": "a", "value": 1}, {"key": "b"}]

    @staticmethod
    def resolve_words(root, info):
        return ["a", None, "c"]


schema = graphene.Schema(query=Query).graphql_schema

QUERIES = [
    ("{ items { n name greeting } }", None),
    ("{ maybeItems { n name greeting(times: 2, colour: RED) path } }", None),
    (
        "query($t: Int, $c: Colour) { maybeItems(count: 4) { greeting(times: $t, colour: $c) } }",
        {"t": 3, "c": "BLUE"},
    ),
    (
        'query($f: Filter) { maybeItems { greeting(filter: $f) again: greeting(filter: {prefix: "x"}) } }',
        {"f": {"prefix": ">"}},
    ),
    ("{ maybeItems { n failing } }", None),
    ("{ maybeItems { n failingRequired } }", None),
    ("{ items { n failingRequired } }", None),
    ("{ maybeItems { n missingRequired } }", None),
    ("{ maybeItems { countText } }", None),
    ("{ entries { key value __typename } words }", None),
    ("{ maybeItems { ...F ... on ItemType { name } } } fragment F on ItemType { n path }", None),
    ("query($n: Int) { maybeItems(count: $n) { n } }", {"n": 0}),
]


def both(graphql_schema, query, variables=None, **kwargs):
    document = parse(query)
    results = [
        execute(
            graphql_schema,
            document,
            variable_values=variables,
            execution_context_class=context_class,
            is_awaitable=lambda _value: False,
            **kwargs,
        )
        for context_class in (ExecutionContext, PlannedExecutionContext)
    ]
    return [result.formatted for result in results]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_the_planned_execution_gives_graphql_cores_results(query, variables):
    expected, planned = both(schema, query, variables)
    assert planned == expected
    assert expected["data"] is not None or expected.get("errors")


def test_the_cases_above_include_errors_and_nulls_propagated():
    errors = [both(schema, query, variables)[1].get("errors") for query, variables in QUERIES]
    messages = [error["message"] for found in errors if found for error in found]
    assert "no 1" in messages
    assert any("Cannot return null for non-nullable field ItemType.missingRequired" in m for m in messages)
    assert any("Int cannot represent non-integer value: 'many'" in m for m in messages)
    # A failed required field nulls its parent item (nullable list items) or the list itself.
    assert both(schema, "{ maybeItems { n failingRequired } }")[1]["data"]["maybeItems"][2] is None
    assert both(schema, "{ items { n failingRequired } }")[1]["data"]["items"] is None


def test_a_plan_is_made_once_per_field_not_per_object(monkeypatch):
    made = []
    original = PlannedExecutionContext._plan

    def counting(self, parent_type, field_nodes):
        made.append((parent_type.name, field_nodes[0].name.value))
        return original(self, parent_type, field_nodes)

    monkeypatch.setattr(PlannedExecutionContext, "_plan", counting)
    both(schema, "{ items(count: 50) { n name greeting } }")
    assert sorted(made) == sorted(
        [("Query", "items"), ("ItemType", "n"), ("ItemType", "name"), ("ItemType", "greeting")]
    )


@pytest.mark.django_db
def test_the_projects_schema_answers_the_same_both_ways(client, monkeypatch):
    _home, news_index, _events = make_site()
    topic = TopicFactory(name="Mining")
    for n in range(3):
        page = NewsPageFactory(parent=news_index, title=f"Item {n}")
        page.topics.add(topic)
        page.save_revision().publish()
    query = """query($size: Int) {
      news(pageSize: $size) {
        items { __typename title url publicationDate summary topics { name slug } body { kind blockType } }
        pagination { totalCount hasNextPage }
      }
    }"""
    planned_fields = []
    original = PlannedExecutionContext._plan
    monkeypatch.setattr(
        PlannedExecutionContext,
        "_plan",
        lambda self, parent_type, nodes: (
            planned_fields.append(nodes[0].name.value) or original(self, parent_type, nodes)
        ),
    )
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": {"size": 2}}), content_type="application/json"
    )
    payload = response.json()
    assert {"news", "items", "title", "topics"} <= set(planned_fields)  # the view runs the planned context
    assert response.status_code == 200, payload
    assert [item["title"] for item in payload["data"]["news"]["items"]] == ["Item 2", "Item 1"]

    request = RequestFactory().post("/graphql/")
    request.user = None
    with request_scope():
        expected, planned = both(project_schema.graphql_schema, query, {"size": 2}, context_value=request)
    assert planned == expected
    assert planned["data"]["news"] == payload["data"]["news"]
