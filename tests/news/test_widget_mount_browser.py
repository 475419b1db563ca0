"""Containers a partner's page adds after the widget loaded (a React or Vue app, a block loaded by
AJAX) are filled too, automatically or by `PSGNews.mount()`, and none is ever filled twice: in
Chromium, on a partner page of another origin under a strict CSP."""

import pytest

from tests.browser import needs_chromium
from tests.news.partner_browser import csp_problems, page_html

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page(browser_page, cms, partner_site):
    """A partner page with the script (twice, as the guide allows) and no container yet."""
    script = f'<script src="{cms}/embed/news.js" async></script>'
    partner = partner_site({"index.html": page_html(f"<main></main>\n{script}\n{script}"), "partner.css": ""})
    browser_page.goto(partner + "/")
    browser_page.wait_for_function("() => window.PSGNews && typeof window.PSGNews.mount === 'function'")
    browser_page.wait_for_load_state("networkidle")
    return browser_page


def api_calls(page, cms):
    return [request for request in page.requests if request.url.startswith(f"{cms}/graphql/")]


def test_a_container_added_after_load_is_filled(page, cms):
    assert api_calls(page, cms) == []  # nothing to fill yet
    page.evaluate(
        """() => {
            const block = document.createElement("section");
            block.innerHTML = '<div><div data-psg-news data-count="2"></div></div>';
            document.querySelector("main").append(block);
        }"""
    )
    sync_api.expect(page.locator("[data-psg-news] li")).to_have_count(2)


def test_an_element_marked_later_is_filled(page, cms):
    page.evaluate(
        """() => {
            const element = document.createElement("div");
            element.dataset.count = "3";
            document.querySelector("main").append(element);
            element.setAttribute("data-psg-news", "");
        }"""
    )
    sync_api.expect(page.locator("[data-psg-news] li")).to_have_count(3)


def test_explicit_mount_reaches_where_the_observer_cannot_and_only_once(page, cms):
    # Inside the partner's own shadow root, which an observer on the document does not see.
    first, again = page.evaluate(
        """() => {
            const host = document.createElement("partner-card");
            document.querySelector("main").append(host);
            const inner = document.createElement("div");
            inner.dataset.count = "4";
            host.attachShadow({ mode: "open" }).append(inner);
            window.inner = inner;
            return [PSGNews.mount(inner), PSGNews.mount(inner)];
        }"""
    )
    assert (first, again) == (True, False)
    items = page.locator("partner-card div li")
    sync_api.expect(items).to_have_count(4)
    assert len(api_calls(page, cms)) == 1


def test_no_container_is_filled_twice(page, cms):
    page.evaluate(
        """() => {
            const element = document.createElement("div");
            element.setAttribute("data-psg-news", "");
            element.dataset.count = "2";
            document.querySelector("main").append(element);
        }"""
    )
    widget = page.locator("[data-psg-news]")
    sync_api.expect(widget.locator("li")).to_have_count(2)
    # Moved by the app, marked again, mounted by hand: still one list, fetched once.
    mounted_again = page.evaluate(
        """() => {
            const element = document.querySelector("[data-psg-news]");
            document.body.prepend(element);
            element.setAttribute("data-psg-news", "again");
            return PSGNews.mount(element);
        }"""
    )
    page.wait_for_load_state("networkidle")
    assert mounted_again is False
    assert widget.evaluate("host => host.shadowRoot.querySelectorAll('ul, p.loading').length") == 1
    assert len(api_calls(page, cms)) == 1  # the script is on the page twice, too
    assert csp_problems(page) == []
