"""A widget option the widget refuses, or a topic the CMS does not know, is named in the browser's
console (the iframe refuses the same with a 400), and the widget still shows news: in Chromium."""

import pytest

from tests.browser import needs_chromium
from tests.news.partner_browser import page_html

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OPTIONS = (
    "data-count, data-topic, data-images, data-locale, data-heading, data-heading-level, data-fallback-url"
)


def widget_warnings(page):
    return [text for text in page.warnings if text.startswith("PSG news: ")]


def load(page, partner_site, cms, containers):
    script = f'<script src="{cms}/embed/news.js" async></script>'
    page.goto(partner_site({"index.html": page_html(containers + "\n" + script), "partner.css": ""}) + "/")
    page.wait_for_load_state("networkidle")
    return widget_warnings(page)


def test_refused_options_are_named_and_their_defaults_used(browser_page, cms, partner_site):
    warnings = load(
        browser_page,
        partner_site,
        cms,
        '<div data-psg-news data-cuont="3"></div>'
        '<div data-psg-news data-count="50" data-images="yes"></div>'
        '<div data-psg-news data-locale="fr-FR" data-heading-level="7"></div>',
    )
    assert sorted(warnings) == sorted(
        [
            f"PSG news: data-cuont is not an option; the options are {OPTIONS}.",
            'PSG news: data-count="50" is refused: it must be a whole number from 1 to 20; using 5.',
            'PSG news: data-images="yes" is refused: it must be true or false; using false.',
            'PSG news: data-locale="fr-FR" is refused: it must be one of en-GB, es-PE; using en-GB.',
            'PSG news: data-heading-level="7" is refused: it must be 2, 3, 4 or 5; using 2.',
        ]
    )
    widgets = browser_page.locator("[data-psg-news]")
    for widget in widgets.all():
        sync_api.expect(widget.locator("li")).to_have_count(5)
    sync_api.expect(widgets.nth(2).locator("h2")).to_have_text("Latest news from the Peru Support Group")


def test_an_unknown_topic_is_named_with_the_known_ones(browser_page, cms, partner_site):
    load(browser_page, partner_site, cms, '<div data-psg-news data-topic="minning"></div>')
    sync_api.expect(browser_page.locator("[data-psg-news] p.empty")).to_have_text("No news yet.")
    # The CMS is asked about the topic once the empty list is shown.
    for _ in range(50):
        if widget_warnings(browser_page):
            break
        browser_page.wait_for_timeout(100)
    assert widget_warnings(browser_page) == [
        'PSG news: data-topic="minning" is refused: `topic` is not a known topic slug; '
        "the topics are: environment, human-rights, mining, politics."
    ]


def test_the_guides_options_raise_no_warning(browser_page, cms, partner_site):
    warnings = load(
        browser_page,
        partner_site,
        cms,
        '<div data-psg-news data-count="3" data-topic="mining" data-images="1" data-locale="es-pe"'
        ' data-heading="Noticias" data-heading-level="3" data-fallback-url="/news/"></div>',
    )
    widget = browser_page.locator("[data-psg-news]")
    sync_api.expect(widget.locator("li")).to_have_count(3)
    sync_api.expect(widget.locator("time").first).to_have_text("29 de octubre de 2016")
    assert warnings == []
