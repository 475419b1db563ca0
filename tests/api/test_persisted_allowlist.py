"""Allowlist mode: only the operations loaded from the frontend's build run, by hash or in full."""

import io
import json

import pytest
from django.core.management import call_command

from tests.api import apq
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

NOT_ALLOWED = ["PERSISTED_QUERY_NOT_ALLOWED"]


@pytest.fixture
def loaded(tmp_path):
    """The frontend's build lists one operation, NEWS, and it is loaded."""
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Loreto oil spills")
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({apq.sha256(apq.NEWS): apq.NEWS}))
    call_command("load_persisted_queries", str(manifest), stdout=io.StringIO())
    return manifest


@pytest.fixture
def allowlist(settings, loaded):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"


def news_titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["data"]["news"]["items"]]


@pytest.mark.parametrize("send", [apq.get, apq.post], ids=["GET", "POST"])
def test_a_loaded_operation_runs_by_hash_alone(client, allowlist, send):
    assert news_titles(send(client, sha256_hash=apq.sha256(apq.NEWS))) == ["Loreto oil spills"]


@pytest.mark.parametrize("send", [apq.get, apq.post], ids=["GET", "POST"])
def test_a_loaded_operation_runs_sent_in_full(client, allowlist, send):
    assert news_titles(send(client, apq.NEWS)) == ["Loreto oil spills"]
    assert news_titles(send(client, apq.NEWS, apq.sha256(apq.NEWS))) == ["Loreto oil spills"]


@pytest.mark.parametrize("send", [apq.get, apq.post], ids=["GET", "POST"])
def test_an_ad_hoc_query_is_refused(client, allowlist, send):
    response = send(client, apq.TOPICS)
    assert response.status_code == 403
    assert apq.codes(response) == NOT_ALLOWED
    assert response["Cache-Control"] == "no-store"
    # The same operation spelt another way is another operation.
    assert apq.codes(send(client, apq.NEWS.replace(" ", "  "))) == NOT_ALLOWED


def test_an_ad_hoc_query_as_an_application_graphql_body_is_refused(client, allowlist):
    response = client.post("/graphql/", data=apq.TOPICS, content_type="application/graphql")
    assert response.status_code == 403
    assert apq.codes(response) == NOT_ALLOWED
    loaded_query = client.post("/graphql/", data=apq.NEWS, content_type="application/graphql")
    assert news_titles(loaded_query) == ["Loreto oil spills"]


def test_an_unknown_hash_is_refused_not_asked_for(client, allowlist):
    # Not PersistedQueryNotFound: a client would only retry with the query, which is refused too.
    response = apq.get(client, sha256_hash=apq.sha256(apq.TOPICS))
    assert response.status_code == 403
    assert apq.codes(response) == NOT_ALLOWED


def test_nothing_is_registered_in_allowlist_mode(client, allowlist, settings):
    sha256_hash = apq.sha256(apq.TOPICS)
    assert apq.codes(apq.post(client, apq.TOPICS, sha256_hash)) == NOT_ALLOWED
    assert apq.codes(apq.get(client, sha256_hash=sha256_hash)) == NOT_ALLOWED
    settings.GRAPHQL_PERSISTED_QUERIES = "auto"
    assert apq.codes(apq.get(client, sha256_hash=sha256_hash)) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_what_a_client_registered_in_auto_mode_does_not_run_in_allowlist_mode(client, loaded, settings):
    sha256_hash = apq.sha256(apq.TOPICS)
    assert apq.post(client, apq.TOPICS, sha256_hash).status_code == 200
    assert apq.get(client, sha256_hash=sha256_hash).status_code == 200
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    assert apq.codes(apq.get(client, sha256_hash=sha256_hash)) == NOT_ALLOWED


def test_a_hash_that_is_not_the_querys_is_still_a_mismatch(client, allowlist):
    response = apq.post(client, apq.TOPICS, apq.sha256(apq.NEWS))
    assert response.status_code == 400
    assert apq.codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]


def test_loaded_operations_run_by_hash_in_auto_mode_without_registering(client, loaded):
    assert news_titles(apq.get(client, sha256_hash=apq.sha256(apq.NEWS))) == ["Loreto oil spills"]
    # Ad-hoc queries and registrations go on as before.
    assert apq.post(client, apq.TOPICS).status_code == 200


def test_graphiql_and_introspection_work_in_auto_mode(client, settings, loaded):
    settings.GRAPHIQL_ENABLED = True
    page = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    response = apq.post(client, "{ __schema { queryType { name } } }")
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
