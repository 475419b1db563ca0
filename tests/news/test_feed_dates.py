"""When feed items were published and last changed, as Atom (RFC 4287) and JSON Feed 1.1 state it."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from freezegun import freeze_time

from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def items():
    news_index = make_site()[1]
    with freeze_time("2016-11-06 09:30:00"):
        bolivia = NewsPageFactory(
            parent=news_index, title="Bolivia and Peru", publication_date=datetime.date(2016, 11, 6)
        )
        bolivia.save_revision().publish()
    with freeze_time("2016-10-20 10:00:00"):
        bambas = NewsPageFactory(
            parent=news_index, title="Violence at Las Bambas", publication_date=datetime.date(2016, 10, 16)
        )
        bambas.save_revision().publish()
    # Corrected and published again long after.
    with freeze_time("2024-03-05 12:00:00"):
        bambas.summary = "Corrected summary."
        bambas.save_revision().publish()
    # Published the evening before its publication date.
    with freeze_time("2016-11-09 18:00:00"):
        ahead = NewsPageFactory(
            parent=news_index, title="Ahead of its date", publication_date=datetime.date(2016, 11, 10)
        )
        ahead.save_revision().publish()
    return {"bolivia": bolivia, "bambas": bambas, "ahead": ahead}


def test_every_atom_entry_has_exactly_one_updated(client, items):
    response = client.get("/feeds/news.atom")
    assert feedparser.parse(response.content).bozo == 0
    feed = ET.fromstring(response.content)  # noqa: S314  (our own answer)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Ahead of its date",
        "Bolivia and Peru",
        "Violence at Las Bambas",
    ]
    updated = [[node.text for node in entry.findall(f"{ATOM}updated")] for entry in entries]
    assert updated == [
        # Never before the date it is published under (midnight in London).
        ["2016-11-10T00:00:00+00:00"],
        ["2016-11-06T09:30:00+00:00"],
        # The correction.
        ["2024-03-05T12:00:00+00:00"],
    ]
    # The feed changed when its latest entry did.
    assert feed.findtext(f"{ATOM}updated") == "2024-03-05T12:00:00+00:00"


def test_json_feed_says_when_items_changed(client, items):
    body = client.get("/feeds/news.json").json()
    dates = {entry["title"]: (entry["date_published"], entry["date_modified"]) for entry in body["items"]}
    assert dates == {
        "Ahead of its date": ("2016-11-10T00:00:00+00:00", "2016-11-10T00:00:00+00:00"),
        "Bolivia and Peru": ("2016-11-06T00:00:00+00:00", "2016-11-06T09:30:00+00:00"),
        "Violence at Las Bambas": ("2016-10-16T00:00:00+01:00", "2024-03-05T12:00:00+00:00"),
    }


def test_an_unchanged_item_keeps_its_dates(client, items):
    first = client.get("/feeds/news.atom")
    again = client.get("/feeds/news.atom")
    assert first.content == again.content
    assert client.get("/feeds/news.atom", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("path", ["/feeds/news.rss", "/feeds/news.atom"])
def test_an_empty_feed_keeps_its_date_and_etag_from_one_second_to_the_next(client, path):
    make_site()  # no news yet: a new site, or a topic nothing is filed under
    answers = []
    for moment in ("2026-12-01 10:00:00", "2026-12-01 10:00:07"):
        with freeze_time(moment):
            answers.append(client.get(path))
    assert answers[0].status_code == answers[1].status_code == 200
    assert answers[0]["ETag"] == answers[1]["ETag"]
    parsed = feedparser.parse(answers[0].content)
    assert parsed.entries == []
    assert parsed.feed.get("updated_parsed") and parsed.feed.updated_parsed[:3] == (2000, 1, 1)
    # A conditional request gets its 304.
    with freeze_time("2026-12-01 10:01:00"):
        again = client.get(path, HTTP_IF_NONE_MATCH=answers[0]["ETag"])
    assert again.status_code == 304
