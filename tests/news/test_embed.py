"""What partner sites embed, without a browser: the /embed/news/ page and the /embed/news.js file."""

import datetime
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, PageViewRestriction

from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

FRONTEND = "https://frontend.test"
WIDGET_SOURCE = Path(__file__).resolve().parents[2] / "news" / "static" / "news" / "embed" / "news.js"


@pytest.fixture
def content():
    news_index = make_site()[1]
    mining = TopicFactory(name="Mining", slug="mining")
    image = get_image_model().objects.create(
        title="Las Bambas",
        description="The Las Bambas mine",
        file=get_test_image_file(),
        collection=Collection.get_first_root_node(),
    )
    pages = []
    for n in range(8):
        page = NewsPageFactory(
            parent=news_index,
            title=f"Story {n}",
            slug=f"story-{n}",
            publication_date=datetime.date(2016, 10, 1) + datetime.timedelta(days=n),
            main_image=image if n == 7 else None,
        )
        if n % 2:
            page.topics.add(mining)
            page.save()
        pages.append(page)
    hidden = NewsPageFactory(
        parent=news_index, title="Members only", publication_date=datetime.date(2017, 1, 1)
    )
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    return pages


class Outline(HTMLParser):
    """Tags with their attributes, and the text inside each <a>, <time>, <h1> and <h2>."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.texts, self._open = [], {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        for tag in ("a", "time", "h1", "h2", "p"):
            if tag in self._open and data.strip():
                self.texts.setdefault(tag, []).append(data.strip())

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def test_iframe_page_lists_latest_news(client, content):
    response = client.get("/embed/news/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = Outline(response.content.decode())
    assert page.texts["h1"] == ["Latest news from the Peru Support Group"]
    assert page.texts["h2"] == ["Story 7", "Story 6", "Story 5", "Story 4", "Story 3"]
    links = [attrs for attrs in page.all("a") if "/news/story-" in attrs["href"]]
    assert [link["href"] for link in links] == [f"{FRONTEND}/news/story-{n}/" for n in (7, 6, 5, 4, 3)]
    assert all(link["target"] == "_top" and link["rel"] == "noopener" for link in page.all("a"))
    assert [t["datetime"] for t in page.all("time")] == [f"2016-10-0{n}" for n in (8, 7, 6, 5, 4)]
    assert page.texts["time"][0] == "8 October 2016"
    assert "Summary of Story 7." in page.texts["p"]
    assert page.all("img") == []  # images are off by default
    assert "Members only" not in response.content.decode()
    assert not page.all("script") and not [attrs for _tag, attrs in page.tags if "style" in attrs]
    assert page.all("style") == []
    [stylesheet] = [attrs for attrs in page.all("link") if attrs["rel"] == "stylesheet"]
    assert stylesheet["href"].endswith("/static/news/embed/news.css")
    feeds = {attrs["type"]: attrs["href"] for attrs in page.all("link") if attrs["rel"] == "alternate"}
    assert feeds == {
        "application/rss+xml": "http://testserver/feeds/news.rss",
        "application/atom+xml": "http://testserver/feeds/news.atom",
        "application/feed+json": "http://testserver/feeds/news.json",
    }
    more = [attrs["href"] for attrs in page.all("a") if attrs["href"] == f"{FRONTEND}/news/"]
    assert more


def test_iframe_options(client, content):
    response = client.get("/embed/news/", {"count": "2", "topic": "mining", "images": "1", "locale": "es-PE"})
    assert response.status_code == 200
    page = Outline(response.content.decode())
    assert ("html", {"lang": "es-PE"}) in page.tags
    assert page.texts["h1"] == ["Últimas noticias del Peru Support Group: Mining"]
    assert page.texts["h2"] == ["Story 7", "Story 5"]
    assert page.texts["time"] == ["8 de octubre de 2016", "6 de octubre de 2016"]
    [image] = page.all("img")
    assert image["alt"] == "The Las Bambas mine"
    assert image["src"].startswith("http://testserver/media/images/") and ".width-800." in image["src"]
    assert "400w" in image["srcset"] and image["width"] and image["height"]
    feeds = [attrs["href"] for attrs in page.all("link") if attrs["rel"] == "alternate"]
    assert feeds == [f"http://testserver/feeds/news.{kind}?topic=mining" for kind in ("rss", "atom", "json")]


def test_iframe_may_be_framed_anywhere_and_is_cacheable(client, content):
    response = client.get("/embed/news/")
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "default-src 'none'" in csp and "script-src" not in csp  # the page runs no script
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    again = client.get("/embed/news/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_frame_ancestors_setting(client, content, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://partner.example https://other.example"
    csp = client.get("/embed/news/")["Content-Security-Policy"]
    assert "frame-ancestors https://partner.example https://other.example" in csp


@pytest.mark.parametrize(
    "params",
    [
        {"count": "0"},
        {"count": "21"},
        {"count": "five"},
        {"images": "yes"},
        {"locale": "fr-FR"},
        {"topic": "no-such-topic"},
    ],
)
def test_bad_iframe_options_are_400_with_a_plain_message(client, content, params):
    response = client.get("/embed/news/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"`{next(iter(params))}`" in response.content.decode()


def test_widget_script_is_served_at_a_fixed_url(client):
    response = client.get("/embed/news.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.content == WIDGET_SOURCE.read_bytes()
    assert client.get("/embed/news.js", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.post("/embed/news.js").status_code == 405


def test_widget_script_is_small_and_plain():
    source = WIDGET_SOURCE.read_text()
    assert len(gzip.compress(source.encode(), 9)) < 5 * 1024  # the guide says "under 5 KB gzipped"
    # No eval-like code, no cookies, no HTML parsing of strings, no inline styles.
    for forbidden in (
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.cookie",
    ):
        assert forbidden not in source
    assert not re.search(r"\.style\b|setAttribute\(\s*[\"']style", source)
    assert 'credentials: "omit"' in source
    assert 'method: "GET"' in source
    assert "adoptedStyleSheets" in source


@pytest.mark.parametrize(
    ("name", "meant"), [("cuont", "count"), ("Count", "count"), ("image", "images"), ("locla", "locale")]
)
def test_a_misspelt_iframe_option_is_named_with_the_known_ones(client, content, name, meant):
    response = client.get("/embed/news/", {"count": "2", name: "5"})
    assert response.status_code == 400
    assert response.content.decode() == (
        f"`{name}` is not an option here: did you mean `{meant}`? "
        "The options are: count, images, locale, topic."
    )


@pytest.mark.parametrize("name", ["utm_source", "ver", "v", "_", "fbclid"])
def test_other_parameters_are_left_alone_as_they_always_were(client, content, name):
    # Frames already on partners' pages may carry tracking or cache-busting parameters.
    response = client.get("/embed/news/", {"count": "2", name: "5"})
    assert response.status_code == 200


def test_an_unknown_topic_is_answered_with_the_known_ones(client, content):
    response = client.get("/embed/news/", {"topic": "minning"})
    assert response.status_code == 400
    assert response.content.decode() == "`topic` is not a known topic slug; the topics are: mining."


@pytest.mark.parametrize(("images", "shown"), [("1", True), ("true", True), ("0", False), ("false", False)])
def test_images_take_the_widgets_words_too(client, content, images, shown):
    response = client.get("/embed/news/", {"images": images})
    assert response.status_code == 200
    assert bool(Outline(response.content.decode()).all("img")) is shown


@pytest.mark.parametrize(("locale", "lang"), [("en-GB", "en-GB"), ("es-PE", "es-PE"), ("es-pe", "es-PE")])
def test_locales_are_matched_without_regard_to_case(client, content, locale, lang):
    response = client.get("/embed/news/", {"locale": locale})
    assert ("html", {"lang": lang}) in Outline(response.content.decode()).tags
