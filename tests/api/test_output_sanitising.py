"""Whatever is stored, nothing executable leaves the system: GraphQL rich text and URLs, feeds, embed.

Hostile content is written straight into the database (raw StreamField JSON, RichTextField HTML,
URL columns), as a script, an import or an attacker with database access would, never through the
admin's forms. It is read back over HTTP and checked by parsing, as a browser or feed reader would.
"""

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from cms.models import MenuItem, NavigationMenu, SiteSettings, SocialLink
from cms.sanitise import safe_url
from events.models import EventPage
from home.models import HomePage, JoinPage
from news.models import NewsIndexPage, NewsPage
from tests.factories import (
    EventPageFactory,
    JoinPageFactory,
    NewsPageFactory,
    TopicFactory,
    VenueFactory,
    make_site,
)

pytestmark = pytest.mark.django_db

FRONTEND = "https://frontend.test"

HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "  javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\x1fjavascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "&amp;#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "data:image/png;base64,iVBORw0KGgo=",
    "livescript:alert(1)",
]

HOSTILE_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" onmouseover="alert(1)">hover</p>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<embed embedtype="media" url="javascript:alert(1)"/>',
    "<style>body { display: none }</style>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<form action="https://evil.example/"><input name=q>'
    '<button formaction="javascript:alert(1)">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://ok.example/" onclick="alert(1)" target="_self" style="color:red">styled link</a>',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    "<template><script>alert(1)</script></template>",
    '<p>a <a linktype="external" href="javascript:alert(1)">typed link</a></p>',
    '<p>b <a linktype="email" href="javascript:alert(1)">mail</a></p>',
] + [f'<p><a href="{link}">link</a></p>' for link in HOSTILE_LINKS]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "input", "button", "meta",
    "base", "link", "img", "video", "audio", "source", "details", "template", "noscript", "frame",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset"}


def _browser_reading(url):
    """A URL as a browser reads it: edges of controls and spaces trimmed, tabs and newlines dropped."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(chr(c) for c in range(0x21)))).lower()


def assert_url_inert(url):
    for reading in (url, html.unescape(url), html.unescape(html.unescape(url))):
        seen = _browser_reading(reading)
        assert not seen.startswith(("javascript:", "vbscript:", "data:", "livescript:")), url
        assert not any(ord(ch) < 0x20 for ch in seen), url


def assert_html_inert(fragment, *, trusted=()):
    """No element, attribute or URL that runs anything; `trusted` embed HTML is taken out first."""
    for piece in trusted:
        fragment = fragment.replace(piece, "")
    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in FORBIDDEN_TAGS, fragment
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), fragment
            assert attribute.lower() != "style", fragment
            if attribute.lower() in URL_ATTRIBUTES:
                assert_url_inert(value if isinstance(value, str) else " ".join(value))


def write_raw(model, pk, **columns):
    """Writes columns straight to the database: no form, no block validation, no clean()."""
    model.objects.filter(pk=pk).update(**columns)


def paragraphs(*sources):
    return [{"type": "paragraph", "value": source, "id": f"p{i}"} for i, source in enumerate(sources)]


BODY_QUERY = """
query ($path: String!) {
  page(path: $path) {
    ... on NewsPage {
      body {
        blockType
        ... on ParagraphBlock { html }
        ... on ButtonBlock { label url }
        ... on EmbedBlock { url embedHtml }
      }
    }
  }
}
"""


@pytest.fixture
def site():
    return make_site()


@pytest.fixture
def trusted_embed():
    """An embed Wagtail's oEmbed finder fetched before (cached in the database): trusted HTML."""
    url = "https://www.youtube.com/watch?v=psg-demo"
    embed_html = (
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/psg-demo" '
        'style="border:0" allow="encrypted-media" allowfullscreen title="PSG video"></iframe>'
    )
    Embed.objects.create(
        url=url,
        max_width=None,
        hash=get_embed_hash(url),
        type="video",
        html=embed_html,
        provider_name="YouTube",
    )
    return url, embed_html


# --- GraphQL rich text -------------------------------------------------------------------------------


def test_hostile_paragraphs_in_a_stream_come_out_inert(gql, site):
    _home, news, _events = site
    page = NewsPageFactory(parent=news, slug="hostile")
    write_raw(NewsPage, page.pk, body=paragraphs(*HOSTILE_HTML))
    blocks = gql(BODY_QUERY, {"path": "/news/hostile/"})["page"]["body"]
    assert len(blocks) == len(HOSTILE_HTML)
    for block in blocks:
        assert_html_inert(block["html"])
    texts = [BeautifulSoup(block["html"], "html.parser").get_text() for block in blocks]
    assert "hover" in texts and "styled" in texts  # text is kept, only the markup goes


@pytest.mark.parametrize(
    "model,field,query",
    [
        (NewsIndexPage, "intro", '{ page(path: "/news/") { ... on NewsIndexPage { html: intro } } }'),
        (HomePage, "hero_text", '{ page(path: "/") { ... on HomePage { html: heroText } } }'),
    ],
)
def test_hostile_rich_text_fields_come_out_inert(gql, site, model, field, query):
    home, news, _events = site
    target = news if model is NewsIndexPage else home
    write_raw(model, target.pk, **{field: "".join(HOSTILE_HTML) + "<p>The last word.</p>"})
    rendered = gql(query)["page"]["html"]
    assert_html_inert(rendered)
    assert "The last word." in rendered


def test_embeds_keep_their_trusted_html_while_hostile_markup_goes(gql, site, trusted_embed):
    _home, news, _events = site
    url, embed_html = trusted_embed
    page = NewsPageFactory(parent=news, slug="video")
    body = paragraphs(
        f'<embed embedtype="media" url="{url}"/>',
        '<iframe src="https://evil.example/"></iframe><p>After.</p>',
    ) + [
        {"type": "embed", "value": url, "id": "e1"},
        {"type": "embed", "value": "javascript:alert(1)", "id": "e2"},
    ]
    write_raw(NewsPage, page.pk, body=body)
    blocks = gql(BODY_QUERY, {"path": "/news/video/"})["page"]["body"]
    assert embed_html in blocks[0]["html"]
    assert_html_inert(blocks[0]["html"], trusted=[embed_html])
    assert blocks[1]["html"] == "<p>After.</p>"
    assert blocks[2] == {"blockType": "embed", "url": url, "embedHtml": embed_html}
    assert blocks[3] == {"blockType": "embed", "url": None, "embedHtml": None}


def test_a_placeholder_written_into_stored_text_stays_text(gql, site, trusted_embed):
    _home, news, _events = site
    url, embed_html = trusted_embed
    page = NewsPageFactory(parent=news, slug="guess")
    guess = "[psg-embed-0000000000000000-0]"
    write_raw(NewsPage, page.pk, body=paragraphs(f'<embed embedtype="media" url="{url}"/><p>{guess}</p>'))
    rendered = gql(BODY_QUERY, {"path": "/news/guess/"})["page"]["body"][0]["html"]
    assert rendered.count("<iframe") == 1 and guess in rendered


def test_legitimate_rich_text_comes_out_as_it_went_in(gql, site, trusted_embed):
    _home, news, _events = site
    url, embed_html = trusted_embed
    target = NewsPageFactory(parent=news, slug="target")
    document = get_document_model().objects.create(
        title="Report", file=ContentFile(b"%PDF-1.4", name="report.pdf")
    )
    page = NewsPageFactory(parent=news, slug="legit")
    source = (
        '<h3 data-block-key="a1">Heading</h3>'
        '<p data-block-key="a2"><b>Bold</b>, <i>italic</i>, a line<br/>break, “quotes”, '
        "é &amp; &lt;tag&gt;.</p>"
        f'<p><a linktype="page" id="{target.pk}">a page</a>, '
        f'<a linktype="document" id="{document.pk}">a document</a>, '
        '<a href="https://example.org/a?b=1&amp;c=2#d">a site</a>, '
        '<a href="mailto:office@example.org">mail</a>, <a href="#section">an anchor</a>.</p>'
        '<ul><li data-block-key="a3">one</li><li>two</li></ul><ol><li>first</li></ol><h4>Small</h4>'
        f'<embed embedtype="media" url="{url}"/>'
    )
    write_raw(NewsPage, page.pk, body=paragraphs(source))
    rendered = gql(BODY_QUERY, {"path": "/news/legit/"})["page"]["body"][0]["html"]
    expected = (
        source.replace(f'<a linktype="page" id="{target.pk}">', f'<a href="{FRONTEND}/news/target/">')
        .replace(f'<a linktype="document" id="{document.pk}">', f'<a href="http://testserver{document.url}">')
        .replace(
            f'<embed embedtype="media" url="{url}"/>',
            f'<div style="padding-bottom: 56.25%;" class="responsive-object">{embed_html}</div>',
        )
    )
    assert same_dom(rendered, expected, trusted=[embed_html])


def same_dom(rendered, expected, trusted=()):
    """Equal as a browser parses them (`<br/>` and `<br>` are the same element)."""
    for piece in trusted:
        rendered, expected = rendered.replace(piece, "TRUSTED"), expected.replace(piece, "TRUSTED")

    def normalised(fragment):
        soup = BeautifulSoup(fragment, "html.parser")
        # Wagtail's embed wrapper (its padding depends on the embed's size) and the template's
        # line breaks around it are not content.
        for wrapper in soup.find_all("div"):
            wrapper.unwrap()
        return re.sub(r"\s*(TRUSTED)\s*", r"\1", str(soup))

    return normalised(rendered) == normalised(expected)


# --- GraphQL URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_button_links_with_unsafe_schemes_are_null(gql, site, link):
    _home, news, _events = site
    page = NewsPageFactory(parent=news, slug="buttons")
    button = {"label": "Go", "page": None, "url": link, "email": ""}
    write_raw(NewsPage, page.pk, body=[{"type": "button", "value": button, "id": "b1"}])
    block = gql(BODY_QUERY, {"path": "/news/buttons/"})["page"]["body"][0]
    assert block == {"blockType": "button", "label": "Go", "url": None}


def test_button_email_cannot_smuggle_another_scheme(gql, site):
    _home, news, _events = site
    page = NewsPageFactory(parent=news, slug="buttons")
    ok = {"label": "Mail", "page": None, "url": "", "email": "office@example.org"}
    bad = {"label": "Bad", "page": None, "url": "", "email": "x@example.org\njavascript:alert(1)"}
    write_raw(
        NewsPage,
        page.pk,
        body=[{"type": "button", "value": v, "id": f"b{i}"} for i, v in enumerate([ok, bad])],
    )
    blocks = gql(BODY_QUERY, {"path": "/news/buttons/"})["page"]["body"]
    assert [block["url"] for block in blocks] == ["mailto:office@example.org", None]


SITE_QUERY = """
{
  siteSettings { socialLinks { platform url } }
  menu(handle: "main") { items { label url } }
}
"""


def test_menu_and_social_links_with_unsafe_schemes_are_left_out(gql, site):
    menu = NavigationMenu.objects.create(name="Main", handle="main")
    settings_row = SiteSettings.objects.create(site_id=site[0].get_site().pk)
    MenuItem.objects.create(menu=menu, label="Safe", url="https://example.org/", sort_order=0)
    SocialLink.objects.create(settings=settings_row, platform="x", url="https://x.com/psg", sort_order=0)
    for i, link in enumerate(HOSTILE_LINKS, start=1):
        MenuItem.objects.create(menu=menu, label=f"Bad {i}", url=link, sort_order=i)
        SocialLink.objects.create(settings=settings_row, platform="other", url=link, sort_order=i)
    data = gql(SITE_QUERY)
    assert data["menu"]["items"] == [{"label": "Safe", "url": "https://example.org/"}]
    assert data["siteSettings"]["socialLinks"] == [{"platform": "x", "url": "https://x.com/psg"}]


def test_event_and_join_page_links_with_unsafe_schemes_are_null(gql, site):
    home, _news, events = site
    venue = VenueFactory(url="javascript:alert(1)")
    event = EventPageFactory(parent=events, slug="conference", venue=venue)
    write_raw(EventPage, event.pk, online_url="JaVaScRiPt:alert(1)", registration_url="data:text/html,x")
    join = JoinPageFactory(parent=home, slug="join")
    write_raw(JoinPage, join.pk, cta_url="java\tscript:alert(1)", cta_email="")
    data = gql(
        """{
          event: page(path: "/events/conference/") {
            ... on EventPage { onlineUrl venue { url } registration { url } }
          }
          join: page(path: "/join/") { ... on JoinPage { callToAction { url href } } }
        }"""
    )
    assert data["event"] == {"onlineUrl": None, "venue": {"url": None}, "registration": {"url": None}}
    assert data["join"]["callToAction"] == {"url": None, "href": ""}


def test_safe_links_are_kept_as_they_are():
    for link in [
        "https://example.org/a?b=1&c=2",
        "http://example.org",
        "/news/",
        "#top",
        "mailto:a@b.org",
        "tel:+44",
    ]:
        assert safe_url(link) == link
    for link in HOSTILE_LINKS + ["\x00javascript:alert(1)", "java script:alert(1)", "", None]:
        assert safe_url(link) is None, link


# --- Feeds and the embed -----------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert("title")</script>Strike'
HOSTILE_SUMMARY = "<img src=x onerror=alert(1)><script>alert(2)</script> & more"


@pytest.fixture
def hostile_news(site):
    _home, news, _events = site
    topic = TopicFactory(name="<svg onload=alert(1)>Mining", slug="mining")
    page = NewsPageFactory(parent=news, slug="strike")
    page.topics.add(topic)
    page.save()
    write_raw(NewsPage, page.pk, title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    return page


def _text_of(element):
    return element.text if element is not None else None


def test_the_rss_feed_carries_summaries_as_text_not_markup(client, hostile_news):
    response = client.get("/feeds/news.rss?topic=mining")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314  (our own answer)
    for description in [channel.find("description"), *channel.findall("item/description")]:
        # Feed readers parse a description as HTML.
        assert_html_inert(_text_of(description))
    item_html = _text_of(channel.find("item/description"))
    assert BeautifulSoup(item_html, "html.parser").get_text() == HOSTILE_SUMMARY


def test_the_atom_feed_carries_summaries_as_text_not_markup(client, hostile_news):
    response = client.get("/feeds/news.atom")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)  # noqa: S314  (our own answer)
    summary = feed.find(f"{atom}entry/{atom}summary")
    assert summary.get("type") == "html"
    assert_html_inert(summary.text)
    assert BeautifulSoup(summary.text, "html.parser").get_text() == HOSTILE_SUMMARY


def test_the_json_feed_carries_plain_text_only(client, hostile_news):
    item = json.loads(client.get("/feeds/news.json").content)["items"][0]
    assert "content_html" not in item
    assert item["content_text"] == item["summary"] == HOSTILE_SUMMARY


def test_the_embed_shows_hostile_text_as_text(client, hostile_news):
    response = client.get("/embed/news/?topic=mining")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    main = soup.find("main")
    assert_html_inert(str(main))
    assert main.find("h2").get_text() == HOSTILE_TITLE
    assert main.find("p", class_="psg-news__summary").get_text() == HOSTILE_SUMMARY
    assert soup.find("script") is None


# --- Malformed StreamField JSON ----------------------------------------------------------------

FULL_BODY_QUERY = """
query ($path: String!) {
  page(path: $path) {
    ... on NewsPage {
      body {
        id blockType
        ... on ParagraphBlock { html }
        ... on HeadingBlock { text level }
        ... on ImageBlock { image { id } alt caption }
        ... on QuoteBlock { quote attribution }
        ... on EmbedBlock { url embedHtml }
        ... on DocumentBlock { document { id } label }
        ... on ButtonBlock { label url }
      }
    }
  }
}
"""

MALFORMED_BLOCKS = {
    "heading level unknown": {"type": "heading", "value": {"text": "t", "level": "hx"}},
    "heading level empty": {"type": "heading", "value": {"text": "t", "level": ""}},
    "heading without text": {"type": "heading", "value": {"level": "h2"}},
    "heading text a number": {"type": "heading", "value": {"text": 5, "level": "h2"}},
    "heading a string": {"type": "heading", "value": "oops"},
    "image id a string": {"type": "image", "value": {"image": "abc", "alt_text": "a"}},
    "image id a list": {"type": "image", "value": {"image": [1, 2]}},
    "image a list": {"type": "image", "value": [1, 2]},
    "quote null": {"type": "quote", "value": None},
    "quote a list": {"type": "quote", "value": {"quote": ["a"], "attribution": {"x": 1}}},
    "embed a number": {"type": "embed", "value": 5},
    "embed an object": {"type": "embed", "value": {"url": "https://example.org/"}},
    "document id a string": {"type": "document", "value": {"document": "x", "label": None}},
    "button page a string": {"type": "button", "value": {"label": "l", "page": "x"}},
    "button url a number": {"type": "button", "value": {"label": "l", "url": 5}},
    "button email an object": {"type": "button", "value": {"label": "l", "email": {"a": 1}}},
    "paragraph a number": {"type": "paragraph", "value": 5},
    "paragraph an object": {"type": "paragraph", "value": {"a": "b"}},
    "paragraph null": {"type": "paragraph", "value": None},
    "paragraph without a value": {"type": "paragraph"},
    "unknown type": {"type": "script", "value": "<script>alert(1)</script>"},
    "type a number": {"type": 5, "value": "x"},
}


@pytest.mark.parametrize("block", MALFORMED_BLOCKS.values(), ids=MALFORMED_BLOCKS.keys())
def test_a_malformed_stored_block_is_left_out_and_the_rest_is_served(gql, site, block):
    _home, news, _events = site
    page = NewsPageFactory(parent=news, slug="malformed")
    if isinstance(block, dict):
        block = {**block, "id": "bad"}
    write_raw(NewsPage, page.pk, body=[block, {"type": "paragraph", "value": "<p>Kept.</p>", "id": "good"}])
    body = gql(FULL_BODY_QUERY, {"path": "/news/malformed/"})["page"]["body"]
    assert body == [{"id": "good", "blockType": "paragraph", "html": "<p>Kept.</p>"}]


def test_blocks_stored_without_an_id_get_one(gql, site):
    _home, news, _events = site
    page = NewsPageFactory(parent=news, slug="no-ids")
    write_raw(
        NewsPage,
        page.pk,
        body=[
            {"type": "heading", "value": {"text": "Background", "level": "h3"}},
            {"type": "paragraph", "value": "<p>Text.</p>", "id": 7},
            {"type": "button", "value": {"label": "Gone", "page": 999999}},
        ],
    )
    body = gql(FULL_BODY_QUERY, {"path": "/news/no-ids/"})["page"]["body"]
    assert body == [
        {"id": "block-0", "blockType": "heading", "text": "Background", "level": 3},
        {"id": "7", "blockType": "paragraph", "html": "<p>Text.</p>"},
        {"id": "block-2", "blockType": "button", "label": "Gone", "url": None},
    ]


@pytest.mark.parametrize("bad_id", ["²", "١٢", "0", "-1", "1.5", "", "99999999999999999999999", "x"])
@pytest.mark.parametrize("linktype", ["page", "document"])
def test_a_link_naming_no_possible_id_keeps_its_text_and_fails_nothing(gql, site, bad_id, linktype):
    # Stored text is not only what the editor writes: an import or a raw edit can hold anything.
    page = NewsPageFactory(parent=site[1], slug="odd-ids")
    write_raw(
        NewsPage, page.pk, body=paragraphs(f'<p>Read <a linktype="{linktype}" id="{bad_id}">this</a>.</p>')
    )
    rendered = gql(BODY_QUERY, {"path": "/news/odd-ids/"})["page"]["body"][0]["html"]
    assert same_dom(rendered, "<p>Read this.</p>")
