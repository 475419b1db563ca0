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
from graphql import build_schema, parse, validate
from hypothesis import HealthCheck, settings
from schemathesis.graphql.checks import GraphQLClientError, GraphQLSchemaViolation, GraphQLServerError
from schemathesis.specs.graphql.validation import validate_graphql_response

from tests.factories import (
    EventPageFactory,
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
def fuzz_content(db, keep_test_transaction_across_wsgi_calls):
    """A little of everything, so generated selections reach real resolvers and relations."""
    _home, news_index, events_index = make_site()
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
        if response.status_code != 400 or not codes <= CLIENT_ERROR_CODES:
            raise
    # Schemathesis also sends invalid queries (missing or mistyped arguments): refused with 400.
    if validate(GRAPHQL_SCHEMA, parse(case.body)):
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
