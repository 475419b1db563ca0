"""The widget's one query is the CMS's own persisted query: it runs even when only an allowlist does."""

import json
import re

import pytest

from news.embed import WIDGET_JS, WIDGET_QUERY
from tests.api import apq
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


def query_in_the_script() -> str:
    """`var QUERY = "…" + "…";` in news.js, its string literals joined as JavaScript joins them."""
    statement = re.search(r"var QUERY =(.*?);", WIDGET_JS.read_text(), re.DOTALL)
    assert statement is not None
    return "".join(json.loads(literal) for literal in re.findall(r'"(?:[^"\\]|\\.)*"', statement.group(1)))


def test_the_registered_query_is_the_one_the_script_sends():
    assert query_in_the_script() == WIDGET_QUERY


@pytest.mark.parametrize("mode", ["auto", "allowlist", "off"])
def test_the_widgets_request_is_answered_in_every_mode(client, settings, mode):
    settings.GRAPHQL_PERSISTED_QUERIES = mode
    NewsPageFactory(parent=make_site()[1], title="Loreto oil spills")
    # As news.js builds it: the query and its variables in the URL.
    variables = {"pageSize": 5, "topic": None, "images": False}
    response = client.get("/graphql/", {"query": WIDGET_QUERY, "variables": json.dumps(variables)})
    assert response.status_code == 200, response.content
    assert [item["title"] for item in response.json()["data"]["news"]["items"]] == ["Loreto oil spills"]


def test_the_widgets_query_runs_by_hash_when_only_the_allowlist_does(client, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    NewsPageFactory(parent=make_site()[1], title="Loreto oil spills")
    variables = {"pageSize": 1, "images": True}
    response = apq.get(client, sha256_hash=apq.sha256(WIDGET_QUERY), variables=variables)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["news"]["items"][0]["mainImage"] is None
