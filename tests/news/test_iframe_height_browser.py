"""The guide's iframe is tall enough for what it shows: its snippet, and the height rule the guide
gives, measured in Chromium with the demo content (whose summaries are long)."""

import re
from pathlib import Path

import pytest

from tests.browser import needs_chromium
from tests.news.partner_browser import PLACEHOLDER, page_html
from tests.news.test_widget_browser import guide_snippet

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
# Where the guide's rule holds: frames this wide or wider (from 40em, images sit beside the text).
RULE_WIDTH = 640


def height_rule():
    """(fixed, per item without images, per item with them) in pixels, read from the guide."""
    text = " ".join(GUIDE.read_text().split())
    match = re.search(
        r"allow about (\d+) pixels for the heading and the last link, plus (\d+) per item without images"
        r" or (\d+) with them",
        text,
    )
    assert match, "the iframe's height rule is not in the guide"
    return tuple(int(number) for number in match.groups())


def overflow(frame):
    """How many pixels of the framed page are hidden below the frame's bottom edge (0: none)."""
    return frame.evaluate(
        """() => {
            const more = document.querySelector(".psg-news__more a").getBoundingClientRect().bottom;
            return Math.max(0, document.documentElement.scrollHeight - innerHeight, more - innerHeight);
        }"""
    )


def framed(page, partner):
    page.goto(partner + "/")
    page.wait_for_load_state("networkidle")
    return [frame for frame in page.frames if "/embed/news/" in frame.url]


def test_the_snippets_height_fits_its_items(browser_page, cms, partner_site):
    snippet = guide_snippet("iframe").replace(PLACEHOLDER, cms)
    height = int(re.search(r'height="(\d+)"', snippet).group(1))
    count, images = (re.search(rf"{name}=(\d+)", snippet).group(1) for name in ("count", "images"))
    fixed, per_item, per_image_item = height_rule()
    assert height >= fixed + int(count) * (per_image_item if images == "1" else per_item)

    # The partner's column, as wide as the rule assumes (in their stylesheet: the CSP allows no inline style).
    partner = partner_site(
        {
            "index.html": page_html(f'<div class="column">{snippet}</div>'),
            "partner.css": f".column {{ width: {RULE_WIDTH}px; }}\n",
        }
    )
    [frame] = framed(browser_page, partner)
    assert frame.evaluate("() => innerWidth") == RULE_WIDTH
    assert frame.locator("li").count() == int(count)
    assert overflow(frame) == 0


def test_the_guides_height_rule_holds(browser_page, cms, partner_site):
    fixed, per_item, per_image_item = height_rule()
    frames = [
        f'<iframe src="{cms}/embed/news/?count={count}&amp;images={images}" title="News"'
        f' width="{RULE_WIDTH}" height="{fixed + count * (per_image_item if images else per_item)}"></iframe>'
        for count in (1, 5, 10)
        for images in (0, 1)
    ]
    partner = partner_site({"index.html": page_html("\n".join(frames))})
    measured = {frame.url.split("?")[1]: overflow(frame) for frame in framed(browser_page, partner)}
    assert len(measured) == len(frames)
    assert measured == dict.fromkeys(measured, 0)
