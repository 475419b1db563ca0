"""Apollo's automatic persisted queries: a hash runs the query it names once the client registered it."""

import datetime
import json

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from tests.api import apq
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

# Byte for byte what Apollo Server answers: Apollo Client and urql match the message.
NOT_FOUND = {
    "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
}


@pytest.fixture
def news_index():
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Loreto oil spills")
    return news_index


def news_titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["data"]["news"]["items"]]


@pytest.mark.parametrize("send", [apq.get, apq.post], ids=["GET", "POST"])
def test_the_whole_exchange_hash_then_hash_and_query_then_hash(client, news_index, send):
    sha256_hash = apq.sha256(apq.NEWS)

    unknown = send(client, sha256_hash=sha256_hash)
    assert unknown.status_code == 200
    assert unknown.json() == NOT_FOUND
    # The client registers next: nobody may keep this answer for the URL.
    assert unknown["Cache-Control"] == "no-store"

    registered = send(client, apq.NEWS, sha256_hash)
    assert news_titles(registered) == ["Loreto oil spills"]

    by_hash = send(client, sha256_hash=sha256_hash)
    assert by_hash.content == registered.content


def test_apollo_client_registers_by_post_and_reads_by_get(client, news_index):
    # createPersistedQueryLink({ useGETForHashedQueries: true }) retries with the query over POST.
    sha256_hash = apq.sha256(apq.NEWS)
    assert apq.get(client, sha256_hash=sha256_hash).json() == NOT_FOUND
    assert news_titles(apq.post(client, apq.NEWS, sha256_hash)) == ["Loreto oil spills"]
    assert news_titles(apq.get(client, sha256_hash=sha256_hash)) == ["Loreto oil spills"]


def test_urqls_retry_marked_as_a_miss_registers_too(client, news_index):
    sha256_hash = apq.sha256(apq.NEWS)
    marked = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash, "miss": True}}
    response = client.get("/graphql/", {"query": apq.NEWS, "extensions": json.dumps(marked)})
    assert news_titles(response) == ["Loreto oil spills"]
    assert news_titles(apq.get(client, sha256_hash=sha256_hash)) == ["Loreto oil spills"]


def test_a_hash_in_capitals_names_the_same_query(client, news_index):
    sha256_hash = apq.sha256(apq.NEWS)
    apq.post(client, apq.NEWS, sha256_hash)
    assert news_titles(apq.get(client, sha256_hash=sha256_hash.upper())) == ["Loreto oil spills"]


def test_variables_and_operation_name_go_with_a_hash(client, news_index):
    query = "query One($size: Int!) { news(pageSize: $size) { items { title } } } query Two { __typename }"
    sha256_hash = apq.sha256(query)
    apq.post(client, query, sha256_hash, variables={"size": 1})
    response = apq.get(client, sha256_hash=sha256_hash, variables={"size": 1}, operation_name="One")
    assert news_titles(response) == ["Loreto oil spills"]
    two = apq.get(client, sha256_hash=sha256_hash, operation_name="Two")
    assert two.json() == {"data": {"__typename": "Query"}}


def test_a_hash_that_is_not_the_querys_is_refused_and_nothing_is_kept(client, news_index):
    other = apq.sha256(apq.TOPICS)
    response = apq.post(client, apq.NEWS, other)
    assert response.status_code == 400
    assert apq.codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert apq.get(client, sha256_hash=other).json() == NOT_FOUND
    assert apq.get(client, sha256_hash=apq.sha256(apq.NEWS)).json() == NOT_FOUND


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("{ news { items { titel } } }", 400, "GRAPHQL_VALIDATION_FAILED"),
        ("{ news { items { title }", 400, "GRAPHQL_PARSE_FAILED"),
        ("{" + "a: __typename " * 21 + "}", 400, "QUERY_TOO_COMPLEX"),
        ("{ __typename }" + " " * 10_000, 413, "REQUEST_TOO_LARGE"),
        ("mutation { __typename }", 405, "METHOD_NOT_ALLOWED"),
        ('{ page(path: "/\\u0000") { title } }', 400, "BAD_USER_INPUT"),
    ],
    ids=["invalid", "unparsable", "over-a-limit", "too-long", "mutation", "bad-literal"],
)
def test_a_query_refused_before_it_runs_is_never_registered(client, news_index, query, status, code):
    sha256_hash = apq.sha256(query)
    response = apq.get(client, query, sha256_hash)
    assert response.status_code == status
    assert code in apq.codes(response)
    assert apq.get(client, sha256_hash=sha256_hash).json() == NOT_FOUND


def test_each_client_registers_a_bounded_number_of_queries_per_window(client, news_index, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False  # only registrations count against the budget here
    settings.GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES = 2
    queries = [f"query Q{n} {{ __typename }}" for n in range(3)]
    for query in queries:
        # Over the budget a query still runs; it is not kept.
        assert apq.post(client, query, apq.sha256(query)).json() == {"data": {"__typename": "Query"}}
    kept = [apq.get(client, sha256_hash=apq.sha256(query)).json() != NOT_FOUND for query in queries]
    assert kept == [True, True, False]
    other_client = apq.post(client, queries[2], apq.sha256(queries[2]), REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 200
    assert apq.get(client, sha256_hash=apq.sha256(queries[2])).json() != NOT_FOUND


def test_a_registration_lasts_its_time_to_live(client, news_index, settings):
    settings.GRAPHQL_PERSISTED_QUERY_TTL = 3600
    sha256_hash = apq.sha256(apq.NEWS)
    start = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        apq.post(client, apq.NEWS, sha256_hash)
    with freeze_time(start + datetime.timedelta(seconds=3599)):
        assert news_titles(apq.get(client, sha256_hash=sha256_hash)) == ["Loreto oil spills"]
    with freeze_time(start + datetime.timedelta(seconds=3601)):
        assert apq.get(client, sha256_hash=sha256_hash).json() == NOT_FOUND


def test_a_registration_the_cache_lost_costs_one_more_round_trip(client, news_index):
    sha256_hash = apq.sha256(apq.NEWS)
    apq.post(client, apq.NEWS, sha256_hash)
    cache.clear()
    assert apq.get(client, sha256_hash=sha256_hash).json() == NOT_FOUND
    assert news_titles(apq.post(client, apq.NEWS, sha256_hash)) == ["Loreto oil spills"]
    assert news_titles(apq.get(client, sha256_hash=sha256_hash)) == ["Loreto oil spills"]


def test_with_persisted_queries_off_a_hash_is_not_supported_and_a_query_runs(client, news_index, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "off"
    sha256_hash = apq.sha256(apq.NEWS)
    unsupported = apq.get(client, sha256_hash=sha256_hash)
    assert unsupported.status_code == 200
    assert unsupported.json() == {
        "errors": [
            {"message": "PersistedQueryNotSupported", "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"}}
        ]
    }
    assert unsupported["Cache-Control"] == "no-store"
    # What Apollo Client and urql send next: the query, as before persisted queries.
    assert news_titles(apq.post(client, apq.NEWS, sha256_hash)) == ["Loreto oil spills"]
    assert apq.get(client, sha256_hash=sha256_hash).status_code == 200
    assert apq.codes(apq.get(client, sha256_hash=sha256_hash)) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


def test_a_hash_only_get_from_a_browser_is_answered_not_given_graphiql(client, news_index, settings):
    settings.GRAPHIQL_ENABLED = True
    response = apq.get(client, sha256_hash=apq.sha256(apq.NEWS), HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND
