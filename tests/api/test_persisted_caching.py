"""A hash-only GET is cached like the GET that spells its query out, and never answers another query."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.api import apq
from tests.api.test_fast_path import call
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_index():
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Loreto oil spills")
    return news_index


@pytest.fixture
def registered(client, news_index):
    for query in (apq.NEWS, apq.TOPICS):
        assert apq.post(client, query, apq.sha256(query)).status_code == 200


def load_manifest(tmp_path, *documents, **options):
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps({apq.sha256(document): document for document in documents}))
    call_command("load_persisted_queries", str(path), stdout=io.StringIO(), **options)


def test_a_hash_only_get_is_cacheable_exactly_like_the_full_get(client, registered, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    origin = {"HTTP_ORIGIN": "https://frontend.test"}
    full = apq.get(client, apq.NEWS, **origin)
    by_hash = apq.get(client, sha256_hash=apq.sha256(apq.NEWS), **origin)
    assert by_hash.status_code == 200
    assert by_hash.content == full.content
    for header in ("Cache-Control", "ETag", "Vary", "Access-Control-Allow-Origin"):
        assert by_hash[header] == full[header], header
    assert by_hash["Cache-Control"].startswith("public, max-age=60")
    revalidated = apq.get(client, sha256_hash=apq.sha256(apq.NEWS), HTTP_IF_NONE_MATCH=full["ETag"], **origin)
    assert revalidated.status_code == 304


def test_a_hash_only_get_shares_the_response_cache_entry_of_its_query(client, news_index):
    assert apq.get(client, apq.NEWS)["X-Cache"] == "miss"
    assert apq.post(client, apq.NEWS, apq.sha256(apq.NEWS))["X-Cache"] == "hit"
    with CaptureQueriesContext(connection) as captured:
        response = apq.get(client, sha256_hash=apq.sha256(apq.NEWS))
    assert response["X-Cache"] == "hit"
    assert len(captured.captured_queries) == 0


def test_a_loaded_operation_by_hash_costs_no_sql_the_second_time(client, news_index, tmp_path, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    load_manifest(tmp_path, apq.NEWS)
    first = apq.get(client, sha256_hash=apq.sha256(apq.NEWS))
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        second = apq.get(client, sha256_hash=apq.sha256(apq.NEWS))
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert len(captured.captured_queries) == 0


def test_two_hashes_never_share_an_answer(client, registered):
    for _ in range(2):
        news = apq.get(client, sha256_hash=apq.sha256(apq.NEWS)).json()
        topics = apq.get(client, sha256_hash=apq.sha256(apq.TOPICS)).json()
        assert list(news["data"]) == ["news"]
        assert list(topics["data"]) == ["newsTopics"]
    etag = apq.get(client, sha256_hash=apq.sha256(apq.NEWS))["ETag"]
    other = apq.get(client, sha256_hash=apq.sha256(apq.TOPICS), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_variables_key_a_hash_only_get_as_they_key_the_query(client, registered, news_index):
    NewsPageFactory(parent=news_index, title="Second")
    query = "query Sized($size: Int!) { news(pageSize: $size) { items { title } } }"
    apq.post(client, query, apq.sha256(query), variables={"size": 1})
    one = apq.get(client, sha256_hash=apq.sha256(query), variables={"size": 1}).json()
    two = apq.get(client, sha256_hash=apq.sha256(query), variables={"size": 2}).json()
    assert len(one["data"]["news"]["items"]) == 1
    assert len(two["data"]["news"]["items"]) == 2


@pytest.fixture
def keep_the_test_transaction():
    # As Django's test client does: the handler would otherwise close the connection that holds
    # the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def wsgi_get(query=None, sha256_hash=None):
    """A GET through the WSGI application the server runs, the fast path in front of Django."""
    params = {}
    if query is not None:
        params["query"] = query
    if sha256_hash is not None:
        params["extensions"] = json.dumps(apq.extensions(sha256_hash))
    return call(RequestFactory().get("/graphql/", params).environ)


def test_the_fast_path_replays_a_hash_only_get(keep_the_test_transaction, registered):
    first = wsgi_get(sha256_hash=apq.sha256(apq.NEWS))
    assert first.through_django
    again = wsgi_get(sha256_hash=apq.sha256(apq.NEWS))
    assert not again.through_django and again.queries == 0
    assert again.body == first.body
    other = wsgi_get(sha256_hash=apq.sha256(apq.TOPICS))
    assert list(json.loads(other.body)["data"]) == ["newsTopics"]
    assert not wsgi_get(sha256_hash=apq.sha256(apq.TOPICS)).through_django
    assert list(json.loads(wsgi_get(sha256_hash=apq.sha256(apq.NEWS)).body)["data"]) == ["news"]


def test_the_fast_path_never_replays_persisted_query_not_found(client, keep_the_test_transaction, news_index):
    sha256_hash = apq.sha256(apq.NEWS)
    for _ in range(2):
        unknown = wsgi_get(sha256_hash=sha256_hash)
        assert unknown.through_django
        assert apq.codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
    apq.post(client, apq.NEWS, sha256_hash)
    assert "data" in wsgi_get(sha256_hash=sha256_hash).json()


def test_a_removed_operation_stops_at_once_even_from_the_fast_path(
    keep_the_test_transaction, news_index, tmp_path, settings
):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    load_manifest(tmp_path, apq.NEWS, apq.TOPICS)
    wsgi_get(sha256_hash=apq.sha256(apq.NEWS))
    assert not wsgi_get(sha256_hash=apq.sha256(apq.NEWS)).through_django
    load_manifest(tmp_path, apq.TOPICS, replace=True)
    refused = wsgi_get(sha256_hash=apq.sha256(apq.NEWS))
    assert refused.status_code == 403
    assert apq.codes(refused) == ["PERSISTED_QUERY_NOT_ALLOWED"]


def test_an_answer_kept_in_auto_mode_is_not_replayed_in_allowlist_mode(
    keep_the_test_transaction, news_index, settings
):
    wsgi_get(apq.TOPICS)
    assert not wsgi_get(apq.TOPICS).through_django
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    refused = wsgi_get(apq.TOPICS)
    assert refused.through_django and refused.status_code == 403
