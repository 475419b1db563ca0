"""Each group reaches what the editors' guide sends it to, in a real browser against the demo content:
an Editor adds a topic, and a venue from the event form; a Moderator edits the menu and site settings."""

import pytest

from cms.models import NavigationMenu, SiteSettings
from events.models import EventIndexPage, Venue
from news.models import Topic
from tests.admin.conftest import signed_in
from tests.browser import needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def base(live_server, demo_site):
    return live_server.url.rstrip("/")


def test_an_editor_adds_a_topic_and_a_venue_from_the_event_form(chromium, base):
    page = signed_in(chromium, base, "edna")
    page.get_by_role("link", name="Snippets").click()
    page.get_by_role("link", name="Topics").click()
    page.get_by_role("link", name="Add topic").first.click()
    page.fill("#id_name", "Water")
    page.click("footer button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Water")
    assert Topic.objects.filter(name="Water").exists()

    page.goto(f"{base}/admin/pages/add/events/eventpage/{EventIndexPage.objects.get().id}/")
    page.click("#tab-label-event_details")
    expect(page.get_by_text("Choose a venue, or add one.")).to_be_visible()
    page.get_by_role("button", name="Choose venue").click()
    modal = page.locator(".modal")
    modal.get_by_role("tab", name="Add a venue").click()
    modal.locator("#id_name").fill("Friends House")
    modal.locator("#id_address_line_1").fill("173 Euston Road")
    modal.locator("#id_postcode").fill("NW1 2BJ")
    modal.get_by_role("button", name="Add venue").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_venue-chooser")).to_contain_text("Friends House, London")
    venue = Venue.objects.get(name="Friends House")
    assert page.input_value("#id_venue") == str(venue.pk)
    page.context.close()


def test_a_moderator_edits_the_menu_and_the_site_settings(chromium, base):
    page = signed_in(chromium, base, "morgan")
    page.get_by_role("link", name="Snippets").click()
    page.get_by_role("link", name="Menus").click()
    page.get_by_role("link", name="Main menu").click()
    page.locator("#id_name").fill("Main navigation")
    page.click("footer button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Main navigation")
    assert NavigationMenu.objects.get(handle="main").name == "Main navigation"

    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Site settings").click()
    page.locator("#id_footer_text").fill("Peru Support Group, London.")
    page.click("footer button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("updated")
    assert SiteSettings.objects.get().footer_text == "Peru Support Group, London."
    page.context.close()
