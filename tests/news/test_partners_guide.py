"""docs/partners.md's GraphQL snippet and feed URLs, run against the demo content.

The widget, iframe and theming snippets are checked in a real browser by test_widget_browser.py.
"""

import json
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.test_demo_graphql import SEED_NEWS

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
PLACEHOLDER = "https://cms.example.org"


def guide_snippet(name):
    match = re.search(rf"<!-- snippet: {re.escape(name)} -->\n```[a-z]*\n(.*?)\n```", GUIDE.read_text(), re.S)
    assert match, f"no snippet {name!r} in {GUIDE}"
    return match.group(1)


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(autouse=True)
def _demo(loaded_demo):
    pass


def test_graphql_snippet_works_as_written(client):
    snippet = guide_snippet("graphql")
    query = re.search(r"const query = `(.*?)`;", snippet, re.S).group(1)
    variables = json.loads(re.search(r"JSON\.stringify\((\{.*?\})\)", snippet).group(1))
    endpoint = re.search(r'new URL\("([^"]+)"\)', snippet).group(1)
    assert endpoint == f"{PLACEHOLDER}/graphql/"
    assert 'credentials: "omit"' in snippet
    # The snippet's GET, from another origin, as a partner's browser sends it.
    response = client.get(
        urlsplit(endpoint).path,
        {"query": query, "variables": json.dumps(variables)},
        HTTP_ORIGIN="https://partner.example",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    body = response.json()
    assert "errors" not in body
    items = body["data"]["news"]["items"]
    assert [item["title"] for item in items] == [
        "Bill to end private police contracts in mines",
        "Violence at Las Bambas, again",
        "Forest restoration reported",
    ]
    assert items[0]["url"] == "https://frontend.test/news/bill-to-end-private-police-contracts-in-mines/"
    assert items[0]["publicationDate"] == "2016-10-29"
    assert {"name": "Mining", "slug": "mining"} in items[0]["topics"]


def test_feed_urls_in_the_guide_answer(client):
    urls = guide_snippet("feeds").split()
    assert urls == [f"{PLACEHOLDER}/feeds/news.{kind}" for kind in ("rss", "atom", "json")]
    expected = [title for title, _date in SEED_NEWS]
    for url in urls:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        if url.endswith(".json"):
            titles = [item["title"] for item in response.json()["items"]]
        else:
            feed = feedparser.parse(response.content)
            assert feed.bozo == 0
            titles = [entry.title for entry in feed.entries]
        assert titles == expected
    # The topic example in the guide.
    example = re.search(rf"`({re.escape(PLACEHOLDER)}/feeds/news\.rss\?topic=[a-z-]+)`", GUIDE.read_text())
    parts = urlsplit(example.group(1))
    feed = feedparser.parse(client.get(parts.path + "?" + parts.query).content)
    assert [entry.title for entry in feed.entries] == [
        "Bill to end private police contracts in mines",
        "Violence at Las Bambas, again",
        "Forest restoration reported",
    ]


def test_topic_slugs_in_the_options_table_exist(client):
    from news.models import Topic

    row = next(line for line in GUIDE.read_text().splitlines() if line.startswith("| `data-topic`"))
    slugs = re.findall(r"`([a-z-]+)`", row.split("|")[2])
    assert slugs and set(slugs) <= set(Topic.objects.values_list("slug", flat=True))
