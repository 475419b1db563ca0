"""Every link partners are handed is absolute, even on a CMS run without FRONTEND_URL: a path
would be read against the partner's own page and lead to the partner's own domain."""

import datetime
from html.parser import HTMLParser

import feedparser
import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

CMS = "http://testserver"


@pytest.fixture(autouse=True)
def _no_frontend(settings):
    settings.FRONTEND_URL = ""


@pytest.fixture
def bambas():
    image = get_image_model().objects.create(
        title="Las Bambas",
        description="The Las Bambas mine",
        file=get_test_image_file(),
        collection=Collection.get_first_root_node(),
    )
    return NewsPageFactory(
        parent=make_site()[1],
        title="Violence at Las Bambas",
        slug="violence-at-las-bambas",
        publication_date=datetime.date(2016, 10, 16),
        main_image=image,
    )


def test_json_feed_links_are_absolute_on_the_same_base_as_rss(client, bambas):
    body = client.get("/feeds/news.json").json()
    [item] = body["items"]
    assert item["url"] == f"{CMS}/news/violence-at-las-bambas/"
    assert item["id"] == item["url"]  # no domain name to mint a tag: URI under (test_feed_identity.py)
    assert item["image"].startswith(f"{CMS}/media/images/")
    assert body["home_page_url"] == f"{CMS}/news/"
    assert body["feed_url"] == f"{CMS}/feeds/news.json"
    rss = feedparser.parse(client.get("/feeds/news.rss").content)
    assert rss.feed.link == body["home_page_url"]
    assert [entry.link for entry in rss.entries] == [item["url"]]


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.urls = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if name in attrs:
                self.urls.append(attrs[name])
        self.urls += [part.split()[0] for part in attrs.get("srcset", "").split(",") if part.strip()]


def test_embed_page_links_are_absolute(client, bambas):
    response = client.get("/embed/news/", {"images": "1", "topic": ""})
    assert response.status_code == 200
    urls = Links(response.content.decode()).urls
    assert f"{CMS}/news/violence-at-las-bambas/" in urls
    assert f"{CMS}/news/" in urls  # "More news"
    assert f"{CMS}/feeds/news.atom" in urls
    assert urls and all(url.startswith(f"{CMS}/") for url in urls), urls
