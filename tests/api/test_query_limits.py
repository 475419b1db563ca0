"""Checking a GraphQL document costs work linear in its size, whatever its fragments.

The shape limits (api/graphql/limits.py) work out each fragment once and add its shape where it is
spread, and they bound what the spec's own rules (notably OverlappingFieldsCanBeMergedRule, which
compares every two fields answering under one response path) are given. Work is counted, not timed:
the shape rule's visits, and every Python function call made while /graphql/ parses and validates.
"""

import json
import sys

import pytest
from graphql.language import Lexer, Source, TokenKind
from hypothesis import HealthCheck, assume, event, given, settings, target
from hypothesis import strategies as st

from api.graphql import limits, view

pytestmark = pytest.mark.django_db

# Calls per token while parsing and validating a document within the limits: about 200 for the
# costliest shapes allowed (20 repeats of a field with a dozen subfields), 30-150 for common ones.
# Before the shape limits bounded the spec's rules, 500 repeated fields cost 1,600 calls a token.
CALLS_PER_TOKEN = 400
CALLS_BASE = 10_000
# Refusals of a document, by its analysis: the only codes these documents may get.
REFUSALS = {"QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "REQUEST_TOO_LARGE"}
LEAVES = ["id", "title", "slug", "path", "url", "seoTitle", "heroHeading", "__typename"]


def token_count(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


class WorkMeter:
    """Counts the work /graphql/ does to check documents (the shape rule's visits, and function calls)."""

    def __init__(self, monkeypatch):
        self.shape_visits = 0
        self.calls = 0
        meter = self
        enter_document = limits.QueryShapeRule.enter_document

        def counted_enter_document(rule, node, *args):
            try:
                return enter_document(rule, node, *args)
            finally:
                meter.shape_visits += rule.visits

        valid_document = view._valid_document

        def counted_valid_document(*args, **kwargs):
            def count(_frame, event, _arg):
                if event == "call":
                    meter.calls += 1

            sys.setprofile(count)
            try:
                return valid_document(*args, **kwargs)
            finally:
                sys.setprofile(None)

        monkeypatch.setattr(limits.QueryShapeRule, "enter_document", counted_enter_document)
        monkeypatch.setattr(view, "_valid_document", counted_valid_document)

    def reset(self) -> None:
        self.shape_visits = self.calls = 0
        view._DOCUMENTS.clear()


@pytest.fixture
def meter(monkeypatch):
    view._DOCUMENTS.clear()
    yield WorkMeter(monkeypatch)
    view._DOCUMENTS.clear()


def post(client, query):
    return client.post("/graphql/", data=json.dumps({"query": query}), content_type="application/json")


def codes(response):
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def assert_bounded(meter, query):
    tokens = token_count(query)
    assert meter.shape_visits <= 2 * tokens, (meter.shape_visits, tokens)
    assert meter.calls <= CALLS_PER_TOKEN * tokens + CALLS_BASE, (meter.calls, tokens)
    return meter.calls / tokens


def assert_answered(response):
    """Never a 5xx; a refusal carries only the codes of a refused document."""
    assert response.status_code < 500, response.content
    if response.status_code != 200:
        assert response.status_code in (400, 413), response.content
        assert set(codes(response)) <= REFUSALS, response.json()


def chain(levels: int, spreads: int, leaf: str = "__typename", wrap: str = "{}", root="{ home { ...F0 } }"):
    """Each fragment spreads the next `spreads` times: `spreads ** levels` leaves once expanded."""
    fragments = [
        f"fragment F{i} on HomePage {{ {wrap.format(' '.join([f'...F{i + 1}'] * spreads))} }}"
        for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on HomePage {{ {leaf} }}")
    return root + " " + " ".join(fragments)


# --- The reported attack, and each limit on its own -----------------------------------------------


def test_fragment_fan_out_is_refused_after_work_linear_in_its_size(client, meter):
    query = chain(26, 2)  # 2**26 leaves once expanded, in about 1.3 KB
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert meter.shape_visits <= 2 * token_count(query)
    assert_bounded(meter, query)


def test_fan_out_of_root_fields_is_refused(client, meter):
    query = "{ ...F0 } " + " ".join(
        [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(26)]
        + ["fragment F26 on Query { home { id } }"]
    )
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert_bounded(meter, query)


def test_fan_out_at_distinct_places_is_refused_by_the_field_limit(client, meter, settings):
    settings.GRAPHQL_LIMITS = {**settings.GRAPHQL_LIMITS, "MAX_REPEATS": 10**9}
    query = chain(26, 2)
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "fields" in response.json()["errors"][0]["message"]
    assert_bounded(meter, query)


def test_fields_are_counted_with_fragments_expanded(client, meter, settings):
    settings.GRAPHQL_LIMITS = {**settings.GRAPHQL_LIMITS, "MAX_FIELDS": 40, "MAX_REPEATS": 10**9}
    # 4**2 spreads of a fragment with 2 fields: 32 fields, then 4**3 * 2 = 128.
    assert post(client, chain(2, 4, leaf="id title")).status_code == 200
    response = post(client, chain(3, 4, leaf="id title"))
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]


def test_repeats_are_counted_with_fragments_expanded(client, meter):
    assert post(client, chain(2, 4)).status_code == 200  # __typename 16 times at one place
    response = post(client, chain(3, 3))  # 27 times
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]


def test_repeated_field_written_out_is_refused(client, meter):
    # graphql-core's field-merging check compares every two of these: 500 of them cost it 124,750
    # comparisons, half of its budget for a whole document.
    query = "{ news { items { " + "id " * 500 + "} } }"
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "'id'" in response.json()["errors"][0]["message"]
    assert_bounded(meter, query)


def test_repeated_field_with_subfields_counts_its_subfields(client, meter):
    # `items` 10 times is within the limit, but each brings `id` 3 times: 30 ids at one path.
    query = "{ news { " + "items { id id id } " * 10 + "} }"
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert post(client, "{ news { " + "items { id title } " * 10 + "} }").status_code == 200


def test_aliases_are_counted_with_fragments_expanded(client, meter):
    fragments = "fragment A on HomePage { a1: id a2: title a3: slug } fragment B on HomePage { ...A ...A }"
    assert post(client, "{ home { ...B } } " + fragments).status_code == 200  # 6 aliases
    response = post(client, "{ home { ...B ...B ...B ...B } } " + fragments)  # 24
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]


def test_depth_is_counted_through_fragments(client, meter):
    query = chain(12, 1, wrap="featuredPages {{ ... on HomePage {{ {} }} }}")
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "levels deep" in response.json()["errors"][0]["message"]


def test_unused_fragment_is_held_to_the_limits(client, meter):
    # The spec's rules validate every fragment, used or not: the shape limits must too.
    query = "{ home { id } } " + chain(26, 2, root="")
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert_bounded(meter, query)


def test_second_fragment_of_one_name_is_held_to_the_limits(client, meter):
    # Spreads resolve to one of the two, but the spec's rules validate both.
    query = "{ home { ...F } } fragment F on HomePage { " + "id " * 500 + "} fragment F on HomePage { id }"
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert_bounded(meter, query)


@pytest.mark.parametrize(
    "fragments",
    [
        "fragment A on HomePage { id ...A }",
        "fragment A on HomePage { ...B } fragment B on HomePage { ...C } fragment C on HomePage { ...A }",
        "fragment A on HomePage { featuredPages { ... on HomePage { ...B } } } "
        "fragment B on HomePage { ...A }",
    ],
)
def test_fragment_cycle_is_refused(client, meter, fragments):
    query = "{ home { ...A } } " + fragments
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "within itself" in response.json()["errors"][0]["message"]
    assert_bounded(meter, query)


def test_unused_fragment_cycle_is_refused(client, meter):
    response = post(client, "{ home { id } } fragment A on HomePage { ...B } fragment B on HomePage { ...A }")
    assert response.status_code == 400
    assert "GRAPHQL_VALIDATION_FAILED" in codes(response)


def test_long_fragment_chain_needs_no_deep_recursion(client, meter):
    # 240 fragments, each spreading the next once: no RecursionError, no 500. graphql-core refuses
    # fragments nested over 200 deep before its rules recurse through them.
    query = chain(240, 1)
    assert token_count(query) <= 2000
    response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert_bounded(meter, query)


def test_graphql_core_work_budget_spent_is_too_complex(client, meter, settings):
    # Without the repeats limit, graphql-core's own budget is what stops this document.
    settings.GRAPHQL_LIMITS = {**settings.GRAPHQL_LIMITS, "MAX_REPEATS": 10**9}
    response = post(client, "{ news { items { " + "id " * 1990 + "} } }")
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert response.json()["errors"][0]["message"] == "Validation aborted."


def test_many_operations_sharing_a_fragment_chain(client, meter):
    query = (
        " ".join(f"query Q{i} {{ ...F0 }}" for i in range(150))
        + " "
        + chain(100, 1, root="")
        .replace("on HomePage", "on Query")
        .replace("{ __typename }", "{ __typename }")
    )
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "operationName": "Q0"}),
        content_type="application/json",
    )
    assert_answered(response)
    assert_bounded(meter, query)


def page_queries(captured):
    return [query for query in captured if "wagtailcore_page" in query["sql"]]


@pytest.mark.parametrize(
    "query",
    [
        "{ " + " ".join(f"s{i}: sitemap {{ path url lastModified }}" for i in range(10)) + " }",
        "{ sitemap { path } ... on Query { again: sitemap { path } } }",
        "{ ...A ...B } fragment A on Query { a: sitemap { path } } "
        "fragment B on Query { b: sitemap { url } }",
        "{ topics: newsTopics { count } newsTopics { count } }",
    ],
)
def test_whole_list_root_field_under_several_names_is_refused_before_it_runs(client, meter, query):
    # `sitemap` answers every public page whatever the query asks: under ten aliases it was built
    # ten times over (seconds of CPU and a megabyte for 1.5 KB sent). Refused before any SQL.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = post(client, query)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "once" in response.json()["errors"][0]["message"]
    assert page_queries(captured) == []
    assert_bounded(meter, query)


def test_whole_list_root_field_once_is_answered(client, meter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One name, however often it is written (merged into one selection), and a fragment spread twice.
    query = (
        "{ sitemap { path } sitemap { url } ...F ...F newsTopics { count } } "
        "fragment F on Query { sitemap { path } }"
    )
    with CaptureQueriesContext(connection) as captured:
        response = post(client, query)
    assert response.status_code == 200, response.content
    assert set(response.json()["data"]) == {"sitemap", "newsTopics"}
    sitemap_reads = [
        q for q in page_queries(captured) if q["sql"].endswith('ORDER BY "wagtailcore_page"."path" ASC')
    ]
    assert len(sitemap_reads) == 1


def test_legitimate_fragments_pass(client, meter):
    query = """
        query Home { home { ...Hero latestNews { ...Card } featuredPages { __typename ...Link } } }
        fragment Hero on HomePage { __typename id heroHeading heroText heroImage { ...Img } }
        fragment Card on NewsPage { __typename id title url mainImage { ...Img } topics { name slug } }
        fragment Link on Page { __typename id title url }
        fragment Img on Image { id title width height }
    """
    response = post(client, query)
    assert response.status_code == 200, response.content


# --- Adversarial documents within the size limits ---------------------------------------------------

WRAPS = ["{}", "... on HomePage {{ {} }}", "featuredPages {{ ... on HomePage {{ {} }} }}"]


@st.composite
def fan_out_chains(draw):
    levels = draw(st.integers(1, 40))
    spreads = draw(st.integers(1, 6))
    wrap = draw(st.sampled_from(WRAPS))
    leaf = " ".join(draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=3)))
    query = chain(levels, spreads, leaf=leaf, wrap=wrap)
    deep = wrap.startswith("featuredPages") and levels + 2 > 10
    must_refuse = spreads**levels > 20 or deep
    return query, must_refuse


@st.composite
def fragment_graphs(draw):
    """Random fragments selecting leaves, aliases, nested fields, inline fragments and spreads."""
    count = draw(st.integers(1, 25))
    cycles = draw(st.booleans())

    def selection(index: int, depth: int) -> str:
        items = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["leaf", "alias", "spread", "spread", "inline", "nested"]))
            item = draw(st.sampled_from(LEAVES))
            if kind == "alias":
                item = f"a{draw(st.integers(0, 30))}: {item}"
            elif kind == "spread":
                lowest = 0 if cycles else index + 1
                if lowest < count:
                    item = f"...F{draw(st.integers(lowest, count - 1))}"
            elif kind in ("inline", "nested") and depth < 3:
                inner = selection(index, depth + 1)
                item = f"... on HomePage {{ {inner} }}"
                if kind == "nested":
                    item = f"featuredPages {{ {item} }}"
            items.append(" ".join([item] * draw(st.integers(1, 4))))
        return " ".join(items)

    fragments = [f"fragment F{i} on HomePage {{ {selection(i, 0)} }}" for i in range(count)]
    roots = "...F0" if draw(st.booleans()) else " ".join(f"...F{i}" for i in range(count))
    return f"{{ home {{ {roots} {selection(-1, 0)} }} }} " + " ".join(fragments)


@st.composite
def written_out(draw):
    """No fragments: the same fields written out many times, at one place or nested."""
    fields = " ".join(draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=8)))
    inner = " ".join([fields] * draw(st.integers(1, 60)))
    group = f"featuredPages {{ ... on HomePage {{ {inner} }} }}" if draw(st.booleans()) else inner
    return "{ home { " + " ".join([group] * draw(st.integers(1, 30))) + " } }"


HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@HYPOTHESIS
@given(case=fan_out_chains())
def test_fan_out_chains_are_bounded(client, meter, case):
    query, must_refuse = case
    assume(len(query) <= 10_000 and token_count(query) <= 2000)
    meter.reset()
    response = post(client, query)
    assert_answered(response)
    event(f"{response.status_code} {sorted(set(codes(response))) if response.status_code != 200 else ''}")
    if must_refuse:
        assert response.status_code == 400
        assert codes(response) == ["QUERY_TOO_COMPLEX"]
    # Steers the search towards the documents that cost the most for their size.
    target(assert_bounded(meter, query), label="calls per token")


@HYPOTHESIS
@given(query=fragment_graphs())
def test_fragment_graphs_are_bounded(client, meter, query):
    assume(len(query) <= 10_000 and token_count(query) <= 2000)
    meter.reset()
    response = post(client, query)
    assert_answered(response)
    event(f"{response.status_code} {sorted(set(codes(response))) if response.status_code != 200 else ''}")
    # Steers the search towards the documents that cost the most for their size.
    target(assert_bounded(meter, query), label="calls per token")


@HYPOTHESIS
@given(query=written_out())
def test_written_out_repeats_are_bounded(client, meter, query):
    assume(len(query) <= 10_000 and token_count(query) <= 2000)
    meter.reset()
    response = post(client, query)
    assert_answered(response)
    event(f"{response.status_code} {sorted(set(codes(response))) if response.status_code != 200 else ''}")
    target(assert_bounded(meter, query), label="calls per token")
