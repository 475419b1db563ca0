"""Valid queries are parsed and validated once per process; invalid ones are refused every time."""

import pytest

from api.graphql import parsing, response_cache, view
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

QUERY = "query Latest($size: Int) { news(pageSize: $size) { items { title } } }"


@pytest.fixture
def parses(monkeypatch):
    calls = []
    original = parsing.parse

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(parsing, "parse", counting)
    monkeypatch.setattr(view, "_DOCUMENTS", type(view._DOCUMENTS)())
    parsing._parse.cache_clear()
    response_cache._declared_variables.cache_clear()
    yield calls
    parsing._parse.cache_clear()


def test_same_query_with_other_variables_is_parsed_once(gql, parses, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    _home, news_index, _events = make_site()
    for n in range(3):
        NewsPageFactory(parent=news_index, title=f"Item {n}")
    assert len(gql(QUERY, {"size": 1})["news"]["items"]) == 1
    assert len(gql(QUERY, {"size": 3})["news"]["items"]) == 3
    assert parses == [QUERY]


def test_invalid_queries_are_not_kept(gql, parses, monkeypatch):
    validations = []
    original = view.validate
    monkeypatch.setattr(view, "validate", lambda *a, **k: validations.append(1) or original(*a, **k))
    for _ in range(2):
        status, errors = gql.errors("{ news { items { nope } } }")
        assert status == 400 and errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    # Validated (and refused) each time, never kept; the parse itself is among the last few reused.
    assert len(parses) == 1 and not view._DOCUMENTS
    assert len(validations) == 2


def test_validation_follows_settings(gql, parses, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    introspection = "{ __schema { queryType { name } } }"
    settings.GRAPHQL_INTROSPECTION = True
    assert gql(introspection)["__schema"]["queryType"]["name"] == "Query"
    settings.GRAPHQL_INTROSPECTION = False
    status, _errors = gql.errors(introspection)
    assert status == 400


def test_the_kept_documents_are_bounded(gql, parses, settings, monkeypatch):
    settings.GRAPHQL_RESPONSE_CACHE = False
    monkeypatch.setattr(view, "_DOCUMENTS_MAX", 3)
    for n in range(5):
        gql(f"{{ a{n}: siteSettings {{ organisationName }} }}")
    assert len(view._DOCUMENTS) == 3
    # The oldest went first; the newest is still kept.
    gql("{ a4: siteSettings { organisationName } }")
    assert len(parses) == 5


def test_a_query_the_response_cache_cannot_answer_is_parsed_once(gql, parses, settings, monkeypatch):
    """The cache's key (the operation and its variables) and validation read one parse: counted in
    graphql-core itself, so a parse of its own anywhere would show."""
    from graphql.language.parser import Parser

    documents = []
    original = Parser.parse_document
    monkeypatch.setattr(Parser, "parse_document", lambda self: documents.append(1) or original(self))
    settings.GRAPHQL_RESPONSE_CACHE = True
    make_site()
    gql(QUERY, {"size": 2})
    assert parses == [QUERY] and len(documents) == 1
