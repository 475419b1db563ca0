"""Dates typed into the admin in a real browser (Debian's Chromium, Playwright), against the demo content:
what an Editor types stays as typed, is saved as typed, or is refused on its field."""

import datetime
import zoneinfo

import pytest

from events.models import EventIndexPage, EventPage
from tests.admin.conftest import signed_in
from tests.browser import needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = [
    needs_chromium,
    # The live server's thread must see the content: real commits, then the migrated database back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def event_form(chromium, live_server, demo_site):
    """An Editor on a new event's Event details tab, title and summary filled in."""
    base = live_server.url.rstrip("/")
    page = signed_in(chromium, base, "edna")
    page.goto(f"{base}/admin/pages/add/events/eventpage/{EventIndexPage.objects.get().id}/")
    page.fill("#id_title", "Mining and human rights: an evening with the PSG")
    page.fill("#id_summary", "Speakers from Apurímac on the mining corridor.")
    page.click("#tab-label-event_details")
    yield page
    page.context.close()


def type_into(page, selector, text):
    """Types as an editor does (the picker opens on focus), then leaves the field with Tab."""
    page.click(selector)
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def save_draft(page):
    page.click("footer button[name=action-draft], footer button[type=submit] >> nth=0")


def test_a_uk_date_typed_by_an_editor_is_kept_and_saved(event_form):
    page = event_form
    type_into(page, "#id_starts_at", "10/12/2026 18:30")
    expect(page.locator("#id_starts_at")).to_have_value("10/12/2026 18:30")
    type_into(page, "#id_ends_at", "10/12/2026 21:00")
    expect(page.locator("#id_ends_at")).to_have_value("10/12/2026 21:00")
    page.keyboard.press("Escape")
    save_draft(page)
    expect(page.locator(".messages")).to_contain_text("created")

    event = EventPage.objects.get(title="Mining and human rights: an evening with the PSG")
    assert event.get_latest_revision_as_object().starts_at == datetime.datetime(
        2026, 12, 10, 18, 30, tzinfo=LONDON
    )
    # Opened again, the form shows it as it was typed.
    page.goto(f"{page.url.split('/admin/')[0]}/admin/pages/{event.id}/edit/")
    expect(page.locator("#id_starts_at")).to_have_value("10/12/2026 18:30")


def test_a_date_the_admin_cannot_read_stays_and_is_refused_on_its_field(event_form):
    page = event_form
    type_into(page, "#id_starts_at", "next Tuesday 6pm")
    # Not replaced by the current date and time when the field loses focus.
    expect(page.locator("#id_starts_at")).to_have_value("next Tuesday 6pm")
    page.keyboard.press("Escape")
    save_draft(page)
    page.click("#tab-label-event_details")
    field = page.locator("[data-field-wrapper]", has=page.locator("#id_starts_at"))
    expect(field).to_contain_text(
        "Enter the date and time as DD/MM/YYYY HH:MM, 24-hour, e.g. 10/12/2026 18:30."
    )
    expect(page.locator("#id_starts_at")).to_have_value("next Tuesday 6pm")
    assert not EventPage.objects.filter(title__startswith="Mining and human rights").exists()
