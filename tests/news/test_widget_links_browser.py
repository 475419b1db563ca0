"""The widget's links lead to the CMS's site, never the partner's, on a CMS run without FRONTEND_URL
(the API then gives paths): checked in Chromium on a partner page of another origin."""

import pytest

from tests.browser import needs_chromium
from tests.news.partner_browser import csp_problems, page_html

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_links_are_on_the_cms_not_the_partner(browser_page, cms, partner_site, settings):
    settings.FRONTEND_URL = ""
    partner = partner_site(
        {
            "index.html": page_html(
                '<div data-psg-news data-images="true"></div>\n'
                f'<script src="{cms}/embed/news.js" async></script>'
            ),
            "partner.css": "",
        }
    )
    page = browser_page
    page.goto(partner + "/")
    widget = page.locator("[data-psg-news]")
    sync_api.expect(widget.locator("li")).to_have_count(5)
    hrefs = widget.locator("a").evaluate_all("links => links.map((a) => a.href)")
    assert len(hrefs) == 6  # five items and "More news"
    assert all(href.startswith(f"{cms}/news/") for href in hrefs), hrefs
    assert hrefs[-1] == f"{cms}/news/"
    # And what they lead to is the CMS's page (which sends readers on to the news).
    assert not any(href.startswith(partner) for href in hrefs)
    for src in widget.locator("img").evaluate_all("images => images.map((img) => img.src)"):
        assert src.startswith(f"{cms}/media/")
    assert csp_problems(page) == []
