"""An editor's day in a real browser (Debian's Chromium driven by Playwright, against the live server).

Signs in, files a news item under a topic with an image from the chooser, publishes it and finds it in
the GraphQL news listing over HTTP; then enters an event that ends before it starts and sees why it
is refused. Screenshots go to a temporary directory, or to docs/images/editors/ (the editors' guide,
docs/editors.md) with UPDATE_EDITOR_SCREENSHOTS=1. Skipped only when Chromium is not installed.
"""

import json
import os
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Locale, Page

from tests.browser import launch_chromium, needs_chromium
from tests.factories import TopicFactory, make_site

sync_api = pytest.importorskip("playwright.sync_api")

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images" / "editors"

pytestmark = [
    needs_chromium,
    # The live server's thread must see the content: real commits. The database is flushed
    # afterwards, so tests/admin/conftest.py runs this test last.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shots(tmp_path):
    directory = DOCS_IMAGES if os.environ.get("UPDATE_EDITOR_SCREENSHOTS") == "1" else tmp_path / "shots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "browser-media"
    # Wagtail's migration rows, in case an earlier transactional test flushed them.
    Locale.objects.get_or_create(language_code="en-gb")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    _home, news_index, events_index = make_site()
    TopicFactory(name="Mining")
    TopicFactory(name="Human rights")
    image = get_image_model().objects.create(
        title="Road blockade near Las Bambas",
        description="Villagers stand on a road blocked with stones",
        file=get_test_image_file(filename="blockade.png", size=(1200, 675)),
    )
    get_user_model().objects.create_superuser("editor", "editor@example.org", "editor-password")
    return news_index, events_index, image


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM runs here only in fixtures.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def graphql(base, query):
    request = urllib.request.Request(  # noqa: S310 (the live server, over http)
        f"{base}/graphql/",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the live server)
        return json.load(response)


def test_an_editor_publishes_news_and_is_told_what_is_wrong_with_an_event(live_server, content, page, shots):
    news_index, events_index, image = content
    base = live_server.url.rstrip("/")
    expect = sync_api.expect

    # Sign in.
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()

    # A news item: title, summary (with its counter), topic, image from the chooser.
    page.goto(f"{base}/admin/pages/add/news/newspage/{news_index.id}/")
    page.fill("#id_title", "Road blockade resumes at Las Bambas")
    summary = (
        "Communities along the mining corridor block the road again, asking for the promised consultation."
    )
    page.fill("#id_summary", summary)
    expect(page.locator(".psg-character-count").first).to_have_text(f"{len(summary)} / 300 characters")
    page.get_by_label("Mining").check()
    page.click("text=Choose an image")
    page.locator(".modal").get_by_text(image.title).first.click()
    expect(page.locator(".modal")).to_be_hidden()
    page.screenshot(path=shots / "news-form.png", full_page=True)

    # Publish: in the menu next to “Save draft”.
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.click("button[name=action-publish]")
    expect(page.locator("main table").get_by_text("Mining")).to_be_visible()
    page.screenshot(path=shots / "news-listing.png")

    news = graphql(
        base, "{ news(pageSize: 5) { items { title summary topics { name } mainImage { alt } } } }"
    )
    assert news["data"]["news"]["items"] == [
        {
            "title": "Road blockade resumes at Las Bambas",
            "summary": summary,
            "topics": [{"name": "Mining"}],
            "mainImage": {"alt": "Villagers stand on a road blocked with stones"},
        }
    ]

    # The dashboard lists it under “Recently published news”.
    page.goto(f"{base}/admin/")
    expect(
        page.locator("#psg-recent-news-content").get_by_text("Road blockade resumes at Las Bambas")
    ).to_be_visible()
    page.screenshot(path=shots / "dashboard.png")

    # An event that ends before it starts is refused, with the reason on the end field.
    page.goto(f"{base}/admin/pages/add/events/eventpage/{events_index.id}/")
    page.fill("#id_title", "Annual conference")
    page.fill("#id_summary", "PSG's annual conference on human rights and mining in Peru.")
    page.click("#tab-label-event_details")
    page.fill("#id_starts_at", "05/11/2030 17:00")
    page.fill("#id_ends_at", "05/11/2030 10:30")
    page.keyboard.press("Escape")
    page.click("button[name=action-draft]") if page.locator(
        "button[name=action-draft]"
    ).count() else page.click("footer button[type=submit]")
    # The tab with the problem shows an error count; the message sits under the end field.
    page.click("#tab-label-event_details")
    expect(page.get_by_text("The event must end after it starts.")).to_be_visible()
    page.locator("#id_ends_at").scroll_into_view_if_needed()
    page.screenshot(path=shots / "event-error.png", full_page=True)

    # The image library asks for the alt text.
    page.goto(f"{base}/admin/images/{image.id}/")
    expect(page.get_by_text("Description (alt text)")).to_be_visible()
    page.screenshot(path=shots / "image-alt-text.png")
