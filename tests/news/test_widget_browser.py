"""The partner snippets of docs/partners.md in a real browser (Debian's Chromium, driven by Playwright).

The CMS runs as pytest-django's live server with the demo content; a partner page on another
origin holds the guide's snippets pasted unchanged (only the CMS address is substituted) and is
served with a strict Content Security Policy. Skipped only when Chromium is not installed.
"""

import re
from pathlib import Path

import pytest

from tests.browser import needs_chromium
from tests.news.partner_browser import FRONTEND, PLACEHOLDER, csp_problems, page_html
from tests.test_demo_graphql import SEED_NEWS

sync_api = pytest.importorskip("playwright.sync_api")

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
# The demo news filed under Mining, newest first.
MINING_NEWS = [
    "Bill to end private police contracts in mines",
    "Violence at Las Bambas, again",
    "Forest restoration reported",
]

pytestmark = [
    needs_chromium,
    # The live server's thread must see the content: real commits, and the migrations' rows
    # (Wagtail's root page, collection) restored afterwards for the rest of the suite.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def guide_snippet(name):
    """The fenced block after `<!-- snippet: name -->` in docs/partners.md."""
    match = re.search(rf"<!-- snippet: {re.escape(name)} -->\n```[a-z]*\n(.*?)\n```", GUIDE.read_text(), re.S)
    assert match, f"no snippet {name!r} in {GUIDE}"
    return match.group(1)


def partner_page(cms):
    snippets = "\n".join(guide_snippet(name) for name in ("widget", "widget-minimal", "iframe"))
    return page_html("<h1>Our partner's news</h1>\n" + snippets.replace(PLACEHOLDER, cms))


@pytest.fixture
def partner(cms, partner_site):
    """A partner site on its own origin, serving the guide's snippets under a strict CSP."""
    return partner_site(
        {
            "index.html": partner_page(cms),
            "partner.css": "body { font-family: sans-serif; }\n" + guide_snippet("theme") + "\n",
        }
    )


def test_widget_and_iframe_render_under_a_strict_csp(browser_page, partner, cms):
    page = browser_page
    page.goto(partner + "/")
    expect = sync_api.expect

    spanish, english = page.locator("[data-psg-news]").all()
    # The full-options snippet: Mining news in Spanish, with images.
    expect(spanish.locator("li")).to_have_count(3)
    assert spanish.locator("li h3 a").all_inner_texts() == MINING_NEWS
    expect(spanish.locator("h2")).to_have_text("Últimas noticias del Peru Support Group")
    first = spanish.locator("li").first
    expect(first.locator("time")).to_have_attribute("datetime", "2016-10-29")
    expect(first.locator("time")).to_have_text("29 de octubre de 2016")
    expect(first.locator("a")).to_have_attribute(
        "href", f"{FRONTEND}/news/bill-to-end-private-police-contracts-in-mines/"
    )
    expect(first.locator("p.summary")).not_to_be_empty()
    images = spanish.locator("img")
    expect(images).to_have_count(2)  # two of the three Mining items have an image
    for image in images.all():
        assert image.get_attribute("alt")
        assert image.get_attribute("src").startswith(f"{cms}/media/images/")
        assert " 400w" in image.get_attribute("srcset")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(spanish.locator("p.more a")).to_have_attribute("href", f"{FRONTEND}/news/")

    # The minimal snippet: five latest of all topics, English dates, no images.
    expect(english.locator("li")).to_have_count(5)
    assert english.locator("li h3 a").all_inner_texts() == [title for title, _ in SEED_NEWS[:5]]
    expect(english.locator("h2")).to_have_text("Latest news from the Peru Support Group")
    expect(english.locator("time").first).to_have_text("6 November 2016")
    expect(english.locator("img")).to_have_count(0)

    # Rendered in open shadow roots, styled by one constructed stylesheet: no <style>, no style="".
    shadow = page.evaluate(
        """() => [...document.querySelectorAll("[data-psg-news]")].map((host) => ({
            shadow: !!host.shadowRoot,
            adopted: host.shadowRoot.adoptedStyleSheets.length,
            styleElements: host.shadowRoot.querySelectorAll("style, link").length,
            styleAttributes: host.shadowRoot.querySelectorAll("[style]").length,
            lightChildren: host.children.length,
        }))"""
    )
    assert (
        shadow
        == [{"shadow": True, "adopted": 1, "styleElements": 0, "styleAttributes": 0, "lightChildren": 0}] * 2
    )
    # The guide's theming snippet reaches inside the shadow root.
    link_style = first.locator("a").evaluate(
        "a => [getComputedStyle(a).color, getComputedStyle(a).fontFamily]"
    )
    assert link_style == ["rgb(0, 94, 162)", "Georgia, serif"]

    # The API was read with GET, without cookies, from the script's origin.
    api_calls = [request for request in page.requests if request.url.startswith(f"{cms}/graphql/")]
    assert api_calls and all(request.method == "GET" for request in api_calls)
    assert all("cookie" not in request.headers for request in api_calls)

    # The iframe: the CMS's own page, three items, links leaving the frame.
    frame = page.frame_locator("iframe")
    expect(frame.locator("li")).to_have_count(3)
    expect(frame.locator("h1")).to_have_text("Latest news from the Peru Support Group")
    assert frame.locator("li h2 a").all_inner_texts() == [title for title, _ in SEED_NEWS[:3]]
    expect(frame.locator("li a").first).to_have_attribute("target", "_top")
    expect(frame.locator("time").first).to_have_attribute("datetime", "2016-11-06")
    assert frame.locator("img").count() >= 1
    # Its stylesheet applied (served by the CMS, allowed by the frame's own CSP).
    assert frame.locator("ul").evaluate("ul => getComputedStyle(ul).listStyleType") == "none"

    assert csp_problems(page) == []


def test_fallback_link_when_the_api_fails(browser_page, partner, cms):
    page = browser_page
    page.route(
        f"{cms}/graphql/**",
        lambda route: route.fulfill(
            status=500,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body='{"errors":[{"message":"Internal server error."}]}',
        ),
    )
    page.goto(partner + "/")
    expect = sync_api.expect
    spanish, english = page.locator("[data-psg-news]").all()
    expect(english.locator("a")).to_have_text("Read the latest news from the Peru Support Group")
    expect(english.locator("a")).to_have_attribute("href", f"{cms}/embed/news/")
    expect(english.locator("li")).to_have_count(0)
    expect(spanish.locator("a")).to_have_text("Lea las últimas noticias del Peru Support Group")
    assert csp_problems(page) == []


def test_fallback_link_when_the_cms_is_unreachable(browser_page, partner, cms):
    page = browser_page
    page.route(f"{cms}/graphql/**", lambda route: route.abort("connectionrefused"))
    page.goto(partner + "/")
    english = page.locator("[data-psg-news]").nth(1)
    sync_api.expect(english.locator("a")).to_have_text("Read the latest news from the Peru Support Group")
