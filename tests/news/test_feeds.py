"""The news feeds as feed readers and partner sites read them: RSS 2.0, Atom and JSON Feed 1.1."""

import datetime
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from news.feeds import FEED_SIZE
from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

FRONTEND = "https://frontend.test"
FEEDS = ["/feeds/news.rss", "/feeds/news.atom"]
ALL_FEEDS = [*FEEDS, "/feeds/news.json"]
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@pytest.fixture
def news_index():
    return make_site()[1]


def make_image(title="Las Bambas", collection=None):
    return get_image_model().objects.create(
        title=title,
        description=f"{title}, seen from the road",
        file=get_test_image_file(),
        collection=collection or Collection.get_first_root_node(),
    )


def item(news_index, title, date, *topics, image=None, **kwargs):
    page = NewsPageFactory(
        parent=news_index,
        title=title,
        slug=title.lower().replace(" ", "-"),
        publication_date=date,
        summary=f"Summary of {title}.",
        main_image=image,
        **kwargs,
    )
    if topics:
        page.topics.add(*topics)
        page.save()
    return page


@pytest.fixture
def content(news_index):
    mining = TopicFactory(name="Mining", slug="mining")
    rights = TopicFactory(name="Human rights", slug="human-rights")
    image = make_image()
    embargoed = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(collection=embargoed, restriction_type="login")
    secret_image = make_image("Embargoed photo", embargoed)
    pages = {
        "bambas": item(
            news_index, "Violence at Las Bambas", datetime.date(2016, 10, 16), mining, rights, image=image
        ),
        "bolivia": item(news_index, "Bolivia and Peru", datetime.date(2016, 11, 6), rights),
        "tpp": item(news_index, "Opposition to TPP", datetime.date(2016, 10, 10), image=secret_image),
        "draft": item(news_index, "Draft story", datetime.date(2016, 11, 7), mining, live=False),
        "private": item(news_index, "Members only", datetime.date(2016, 11, 8), mining),
        "scheduled": item(
            news_index,
            "Not yet",
            datetime.date(2016, 11, 9),
            mining,
            go_live_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        ),
    }
    PageViewRestriction.objects.create(page=pages["private"], restriction_type="password", password="x")
    return pages


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_lists_public_news_newest_first(client, content, url):
    response, feed = parse(client, url)
    assert response["Content-Type"].startswith(
        "application/rss+xml" if url.endswith(".rss") else "application/atom+xml"
    )
    assert feed.version == ("rss20" if url.endswith(".rss") else "atom10")
    assert feed.feed.title == "Peru Support Group: news"
    assert feed.feed.link == f"{FRONTEND}/news/"
    assert [entry.title for entry in feed.entries] == [
        "Bolivia and Peru",
        "Violence at Las Bambas",
        "Opposition to TPP",
    ]
    bolivia, bambas, tpp = feed.entries
    assert bambas.link == f"{FRONTEND}/news/violence-at-las-bambas/"
    assert bambas.summary == "Summary of Violence at Las Bambas."
    assert bambas.author == "Peru Support Group"
    assert sorted(tag.term for tag in bambas.tags) == ["Human rights", "Mining"]
    # Midnight in London: BST in October, GMT in November.
    assert bambas.published_parsed[:6] == (2016, 10, 15, 23, 0, 0)
    assert bolivia.published_parsed[:6] == (2016, 11, 6, 0, 0, 0)
    raw = response.content.decode()
    if url.endswith(".rss"):
        assert "<pubDate>Sun, 16 Oct 2016 00:00:00 +0100</pubDate>" in raw
    else:
        assert "<published>2016-10-16T00:00:00+01:00</published>" in raw
    # Stable ids that name the page, not its title or path.
    assert bambas.id == f"tag:frontend.test,2016:psg-news-{content['bambas'].pk}"


@pytest.mark.parametrize("url", FEEDS)
def test_enclosures_are_public_renditions_with_length_and_type(client, content, url):
    _response, feed = parse(client, url)
    bolivia, bambas, tpp = feed.entries
    assert bolivia.enclosures == []
    assert tpp.enclosures == []  # its image is in a restricted collection
    [enclosure] = bambas.enclosures
    assert enclosure.href.startswith("http://testserver/media/images/")
    assert ".width-800." in enclosure.href
    assert enclosure.type == "image/png"
    rendition = content["bambas"].main_image.get_rendition("width-800")
    assert int(enclosure.length) == rendition.file.size > 0
    # The URL is served.
    assert client.get(enclosure.href.removeprefix("http://testserver")).status_code == 200


def validate_json_feed(body):
    """The JSON Feed 1.1 required fields, and the types of the optional ones we use."""
    assert body["version"] == JSON_FEED_VERSION
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["items"], list)
    for key in ("home_page_url", "feed_url", "description", "language"):
        assert isinstance(body.get(key, ""), str)
    for author in body.get("authors", []):
        assert {"name", "url", "avatar"} & set(author)
    for entry in body["items"]:
        assert isinstance(entry["id"], str) and entry["id"]
        assert isinstance(entry.get("content_text"), str) or isinstance(entry.get("content_html"), str)
        if "date_published" in entry:
            datetime.datetime.fromisoformat(entry["date_published"])  # RFC 3339
        for key in ("url", "title", "summary", "image"):
            assert isinstance(entry.get(key, ""), str)
        assert all(isinstance(tag, str) for tag in entry.get("tags", []))


def test_json_feed(client, content):
    response = client.get("/feeds/news.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    body = response.json()
    validate_json_feed(body)
    assert body["home_page_url"] == f"{FRONTEND}/news/"
    assert body["feed_url"] == "http://testserver/feeds/news.json"
    assert [entry["title"] for entry in body["items"]] == [
        "Bolivia and Peru",
        "Violence at Las Bambas",
        "Opposition to TPP",
    ]
    bolivia, bambas, tpp = body["items"]
    assert bambas["url"] == f"{FRONTEND}/news/violence-at-las-bambas/"
    assert bambas["content_text"] == bambas["summary"] == "Summary of Violence at Las Bambas."
    assert bambas["date_published"] == "2016-10-16T00:00:00+01:00"
    assert bolivia["date_published"] == "2016-11-06T00:00:00+00:00"
    assert bambas["authors"] == [{"name": "Peru Support Group", "url": FRONTEND}]
    assert sorted(bambas["tags"]) == ["Human rights", "Mining"]
    assert ".width-800." in bambas["image"] and bambas["image"].startswith("http://testserver/media/")
    assert "image" not in bolivia and "image" not in tpp
    # The same ids as the XML feeds.
    _response, rss = parse(client, "/feeds/news.rss")
    assert [entry["id"] for entry in body["items"]] == [entry.id for entry in rss.entries]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_topic_filter(client, content, url):
    response = client.get(url, {"topic": "mining"})
    assert response.status_code == 200
    if url.endswith(".json"):
        body = response.json()
        titles = [entry["title"] for entry in body["items"]]
        assert body["title"] == "Peru Support Group: news on Mining"
    else:
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0
        titles = [entry.title for entry in feed.entries]
        assert feed.feed.title == "Peru Support Group: news on Mining"
    assert titles == ["Violence at Las Bambas"]  # the draft, private and scheduled ones stay out


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_unknown_topic_is_404(client, content, url):
    assert client.get(url, {"topic": "no-such-topic"}).status_code == 404


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_hidden_news_never_appears(client, content, url):
    text = client.get(url).content.decode()
    for key in ("draft", "private", "scheduled"):
        assert content[key].title not in text
        assert content[key].slug not in text
    assert "Embargoed" not in text


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_latest_twenty(client, news_index, url):
    for n in range(FEED_SIZE + 3):
        item(news_index, f"Story {n:02d}", datetime.date(2017, 1, 1) + datetime.timedelta(days=n))
    response = client.get(url)
    if url.endswith(".json"):
        titles = [entry["title"] for entry in response.json()["items"]]
    else:
        titles = [entry.title for entry in feedparser.parse(response.content).entries]
    assert titles == [f"Story {n:02d}" for n in range(FEED_SIZE + 2, 2, -1)]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_cacheable_with_etag_and_304(client, content, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Any origin may read the feeds.
    cross = client.get(url, HTTP_ORIGIN="https://partner.example")
    assert cross["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_sql_does_not_grow_with_items(client, news_index, url):
    mining = TopicFactory(name="Mining", slug="mining")
    rights = TopicFactory(name="Human rights", slug="human-rights")

    def queries():
        client.get(url)  # warms renditions and caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    item(news_index, "First", datetime.date(2017, 1, 1), mining, image=make_image("One"))
    one = queries()
    for n in range(6):
        item(
            news_index, f"More {n}", datetime.date(2017, 2, n + 1), mining, rights, image=make_image(f"I{n}")
        )
    assert queries() == one


def test_demo_content_newest_first(client, settings, tmp_path):
    from tests.test_demo_graphql import SEED_NEWS

    settings.MEDIA_ROOT = tmp_path / "demo-media"
    call_command("load_demo_content", stdout=StringIO())
    _response, rss = parse(client, "/feeds/news.rss")
    _response, atom = parse(client, "/feeds/news.atom")
    body = client.get("/feeds/news.json").json()
    validate_json_feed(body)
    expected = [title for title, _date in SEED_NEWS]
    assert [entry.title for entry in rss.entries] == expected
    assert [entry.title for entry in atom.entries] == expected
    assert [entry["title"] for entry in body["items"]] == expected
    assert [entry["date_published"][:10] for entry in body["items"]] == [date for _title, date in SEED_NEWS]
    assert all(entry.link.startswith(f"{FRONTEND}/news/") for entry in rss.entries)
    assert any(entry.enclosures for entry in rss.entries)


@pytest.mark.parametrize("url", [*ALL_FEEDS, "/embed/news/", "/embed/news.js"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_methods_are_405_not_the_csrf_page(news_index, url, method):
    # CSRF is checked as a browser would have it (the test client skips it by default): a POST
    # met that check first and got Django's HTML 403 page, on endpoints that only ever read.
    from django.test import Client

    response = getattr(Client(enforce_csrf_checks=True), method)(url, data="x", content_type="text/plain")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    if url.endswith(".json"):
        assert response.json() == {"error": "Only GET and HEAD are served here."}
    else:
        assert response["Content-Type"].startswith("text/plain")
        assert b"<" not in response.content


@pytest.mark.parametrize("url", [*ALL_FEEDS, "/embed/news/", "/embed/news.js"])
def test_head_is_answered(client, news_index, url):
    assert client.head(url).status_code == 200
