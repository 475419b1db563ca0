"""What names a feed and its items for feed readers: the canonical feed URL and stable entry ids."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 4151: tag:<DNS name or email>,<date>:<specific>.
TAG_URI = re.compile(r"tag:[a-z0-9-]+(\.[a-z0-9-]+)+,\d{4}(-\d{2}(-\d{2})?)?:[^\s]+")


@pytest.fixture
def bambas():
    page = NewsPageFactory(
        parent=make_site()[1],
        title="Violence at Las Bambas",
        slug="violence-at-las-bambas",
        publication_date=datetime.date(2016, 10, 16),
    )
    page.topics.add(TopicFactory(name="Mining", slug="mining"))
    page.save()
    return page


def atom(client, query="", **headers):
    response = client.get("/feeds/news.atom" + query, **headers)
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content)  # noqa: S314  (our own answer)


def self_link(feed):
    return next(link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")


def entry_ids(feed):
    return [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?utm_source=partner&utm_medium=feed", "http://testserver/feeds/news.atom"),
        ("?topic=mining&utm_source=partner", "http://testserver/feeds/news.atom?topic=mining"),
        ("?utm_source=partner&topic=mining&_=1700000000", "http://testserver/feeds/news.atom?topic=mining"),
        ("?topic=", "http://testserver/feeds/news.atom"),
    ],
)
def test_a_feed_is_named_by_its_canonical_url(client, bambas, query, canonical):
    feed = atom(client, query)
    assert feed.findtext(f"{ATOM}id") == canonical
    assert self_link(feed) == canonical
    plain = atom(client, "?topic=mining" if "mining" in canonical else "")
    assert entry_ids(feed) == entry_ids(plain)

    rss = ET.fromstring(client.get("/feeds/news.rss" + query).content)  # noqa: S314  (our own answer)
    assert rss.find(f"channel/{ATOM}link[@rel='self']").get("href") == canonical.replace(".atom", ".rss")
    json_feed = client.get("/feeds/news.json" + query).json()
    assert json_feed["feed_url"] == canonical.replace(".atom", ".json")


def test_entry_ids_are_minted_under_the_frontends_domain_whatever_host_is_asked(client, bambas, settings):
    settings.FRONTEND_URL = "https://www.perusupportgroup.org.uk"
    expected = [f"tag:www.perusupportgroup.org.uk,2016:psg-news-{bambas.pk}"]
    assert entry_ids(atom(client)) == expected
    assert entry_ids(atom(client, HTTP_HOST="127.0.0.1:8000")) == expected


def test_without_a_frontend_ids_are_minted_under_the_cmss_configured_domain(client, bambas, settings):
    settings.FRONTEND_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "https://cms.perusupportgroup.org.uk"
    expected = [f"tag:cms.perusupportgroup.org.uk,2016:psg-news-{bambas.pk}"]
    assert entry_ids(atom(client, HTTP_HOST="127.0.0.1:8000")) == expected
    assert entry_ids(atom(client, HTTP_HOST="localhost")) == expected


@pytest.mark.parametrize(
    "cms_address", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"]
)
def test_without_any_domain_name_ids_are_the_items_absolute_links(client, bambas, settings, cms_address):
    # An IP address or a single label is nobody's domain: no valid tag: URI can be minted under it.
    settings.FRONTEND_URL = ""
    settings.WAGTAILADMIN_BASE_URL = cms_address
    feed = atom(client, HTTP_HOST="127.0.0.1:8000")
    assert entry_ids(feed) == ["http://127.0.0.1:8000/news/violence-at-las-bambas/"]
    assert not any(entry_id.startswith("tag:") for entry_id in entry_ids(feed))


@pytest.mark.parametrize("frontend", ["https://frontend.test", ""])
def test_every_entry_id_is_a_valid_tag_uri_or_an_absolute_url(client, bambas, settings, frontend):
    settings.FRONTEND_URL = frontend
    for entry_id in entry_ids(atom(client, HTTP_HOST="127.0.0.1:8000")):
        assert TAG_URI.fullmatch(entry_id) or re.fullmatch(r"https?://[^/\s]+/\S*", entry_id), entry_id
