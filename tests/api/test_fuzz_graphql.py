"""Property-based fuzzing of /graphql/ with schemathesis (GraphQL mode), in process, offline.

Every root field of the committed schema.graphql gets queries generated from the schema itself
(hypothesis-graphql): random selections, arguments and variables. Whatever comes in, the API must
answer JSON without a 5xx, and whatever data it returns must fit the schema. The seed is fixed
(derandomize) and the number of examples bounded, so the run is reproducible and fast.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLNonNull,
    build_schema,
    get_named_type,
    parse,
    validate,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.graphql.checks import GraphQLClientError, GraphQLSchemaViolation, GraphQLServerError
from schemathesis.specs.graphql.validation import validate_graphql_response

from api.graphql.schema import schema as live_schema
from tests.factories import (
    EventPageFactory,
    FormPageFactory,
    FormPageFieldFactory,
    NewsPageFactory,
    TicketPriceFactory,
    TopicFactory,
    VenueFactory,
    make_site,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_SDL = (ROOT / "schema.graphql").read_text()
GRAPHQL_SCHEMA = build_schema(SCHEMA_SDL)
MAX_EXAMPLES = 25
# Refusals the API documents (docs/security.md, the schema's descriptions): the client's fault, 400.
CLIENT_ERROR_CODES = {
    "BAD_USER_INPUT",
    "BAD_REQUEST",
    "PREVIEW_TOKEN_INVALID",
    "QUERY_TOO_COMPLEX",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "REQUEST_TOO_LARGE",
}
# Refusals of `submitForm` with a status of their own (docs/frontend.md, "Forms").
CLIENT_ERROR_STATUS = {"FORM_NOT_FOUND": 404, "RATE_LIMITED": 429}

schema = schemathesis.graphql.from_file(SCHEMA_SDL)
schema.app = get_wsgi_application()
schema.location = "/graphql/"


@pytest.fixture
def keep_test_transaction_across_wsgi_calls():
    """As Django's test client does: a real WSGI call ends with `close_old_connections`, which would
    close the connection holding the test's transaction (PostgreSQL then answers 503)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_content(db, keep_test_transaction_across_wsgi_calls, settings):
    """A little of everything, so generated selections reach real resolvers and relations."""
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 10_000
    home, news_index, events_index = make_site()
    form_page = FormPageFactory(parent=home)
    FormPageFieldFactory(page=form_page, label="Email", field_type="email")
    topic = TopicFactory(name="Mining")
    for n in range(3):
        item = NewsPageFactory(parent=news_index, title=f"Fuzz news {n}")
        item.topics.add(topic)
        item.save_revision().publish()
    event = EventPageFactory(parent=events_index, title="Fuzz event", venue=VenueFactory())
    TicketPriceFactory(page=event)
    event.save_revision().publish()


def check_answer(case, response):
    """No 5xx; a JSON object with data and/or errors; errors carry a code; data fits the query."""
    assert response.status_code < 500, f"{response.status_code} for:\n{case.body}\n{response.text[:2000]}"
    payload = json.loads(response.text)
    assert isinstance(payload, dict) and ("data" in payload or "errors" in payload), payload
    for error in payload.get("errors", ()):
        assert error.get("extensions", {}).get("code"), error
    try:
        validate_graphql_response(case, payload)
    except GraphQLSchemaViolation:
        raise  # a null in a non-null field: the answer breaks the published schema
    except GraphQLClientError:
        pass
    except GraphQLServerError:
        codes = {error["extensions"]["code"] for error in payload["errors"]}
        statuses = {
            CLIENT_ERROR_STATUS.get(code, 400 if code in CLIENT_ERROR_CODES else None) for code in codes
        }
        if statuses != {response.status_code}:
            raise
    # Schemathesis also sends invalid queries (missing or mistyped arguments, and strings holding
    # a lone surrogate, which the lexer refuses): refused with 400.
    try:
        invalid = bool(validate(GRAPHQL_SCHEMA, parse(case.body)))
    except GraphQLError:
        invalid = True
    if invalid:
        assert response.status_code == 400, (case.body, payload)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_graphql_fuzz(case, fuzz_content):
    response = case.call()
    check_answer(case, response)


QUOTE_QUERIES = [
    ("query($q: String!) { search(query: $q) { items { id } } }", '"Fuzz'),
    ("query($q: String) { news(search: $q) { items { id } } }", 'a"b'),
]


@pytest.mark.parametrize(("query", "text"), QUOTE_QUERIES)
def test_search_with_an_unbalanced_quote_is_not_a_5xx(request, gql, fuzz_content, query, text):
    """Found by the fuzzer: on SQLite an unbalanced `"` reached FTS5's MATCH as syntax (a 503)."""
    response = gql.post(query, {"q": text})
    assert response.status_code == 200, response.content


# Every argument of every root field, with hostile values: text with NUL, unpaired surrogates and
# other scripts' digits, numbers past 32 bits, dates past either end of the calendar, wrong types.
# Each is sent as a variable of the argument's own type or written into the query as a literal.
LIVE_SCHEMA = live_schema.graphql_schema
ROOT_ARGUMENTS = [
    (field_name, argument_name)
    for field_name, field in LIVE_SCHEMA.query_type.fields.items()
    for argument_name in field.args
]
HOSTILE_SAMPLES = [
    "\x00",
    "a\x00b",
    "/\x00/",
    "\ud800",
    "a\udfffb",
    "²",
    "١٢",
    "%00",
    "%ff",
    "9" * 40,
    "-1",
    "0001-01-01",
    "9999-12-31",
    "NaN",
    "",
    " ",
    "/" * 2000,
    "x" * 10_000,
    "\u202e",
    "\r\nX: y",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE_SAMPLES), st.text(st.characters(exclude_categories=[]), max_size=40)
)


OUT_OF_RANGE_DAYS = ["9999-12-31", "0001-01-01", "9999-12-30", "1899-12-31"]


def hostile_value(named_type):
    """Values a client could send for an argument of this type, the hostile ones first (tried first)."""
    name = named_type.name
    if isinstance(named_type, GraphQLEnumType):
        return st.one_of(HOSTILE_TEXT, st.sampled_from(sorted(named_type.values)))
    if name == "Int":
        return st.one_of(HOSTILE_TEXT, st.integers(), st.integers(-(2**31), 2**31 - 1))
    if name in ("Date", "DateTime"):
        return st.one_of(
            st.sampled_from(OUT_OF_RANGE_DAYS), HOSTILE_TEXT, st.dates().map(lambda day: day.isoformat())
        )
    return st.one_of(HOSTILE_TEXT, st.integers())


def placeholder(arg_type):
    """A plain value for another required argument of the field."""
    named = get_named_type(arg_type)
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    return {"Int": 1, "Date": "2024-01-01", "ID": "1"}.get(named.name, "/x/")


def call_body(field_name, argument_name, value, as_literal):
    """A query calling the root field with `value` for the argument, as a literal or a variable."""
    field = LIVE_SCHEMA.query_type.fields[field_name]
    arg_type = field.args[argument_name].type
    named = get_named_type(arg_type)
    literal = None
    if as_literal and value is not None:
        if not isinstance(named, GraphQLEnumType):
            literal = json.dumps(value)
        elif value in named.values:
            literal = value
    arguments, variables = [], {}
    for name, arg in field.args.items():
        if name == argument_name:
            arguments.append(f"{name}: {literal or '$v'}")
            if literal is None:
                variables["v"] = value
        elif isinstance(arg.type, GraphQLNonNull):
            arguments.append(f"{name}: {json.dumps(placeholder(arg.type))}")
    declaration = f"($v: {arg_type})" if literal is None else ""
    query = f"query{declaration} {{ {field_name}({', '.join(arguments)}) {{ __typename }} }}"
    return {"query": query, "variables": variables}


def test_every_root_field_is_fuzzed():
    """A new root field (or argument) is fuzzed by the tests here without anyone adding it."""
    fuzzed = {operation.ok().label.removeprefix("Query.") for operation in schema.get_all_operations()}
    mutations = {f"Mutation.{name}" for name in LIVE_SCHEMA.mutation_type.fields}
    assert fuzzed == set(LIVE_SCHEMA.query_type.fields) | mutations
    assert {field for field, _argument in ROOT_ARGUMENTS} == {
        name for name, field in LIVE_SCHEMA.query_type.fields.items() if field.args
    }


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(("field_name", "argument_name"), ROOT_ARGUMENTS)
def test_every_argument_with_hostile_values(client, fuzz_content, field_name, argument_name):
    named = get_named_type(LIVE_SCHEMA.query_type.fields[field_name].args[argument_name].type)

    # The cases the outside test found, always run, then what hypothesis draws.
    @example(value="a\x00b", as_literal=False)
    @example(value="a\x00b", as_literal=True)
    @example(value="\ud800", as_literal=False)
    @example(value="²", as_literal=False)
    @given(value=hostile_value(named), as_literal=st.booleans())
    @settings(
        max_examples=20,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_without_5xx(value, as_literal):
        body = call_body(field_name, argument_name, value, as_literal)
        response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 400), (body, response.status_code, response.content[:500])
        payload = json.loads(response.content)
        for error in payload.get("errors", ()):
            assert error["extensions"]["code"] in CLIENT_ERROR_CODES, (body, error)

    answers_without_5xx()
