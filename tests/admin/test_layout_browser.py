"""What only a browser shows, against the demo content: lists that fit a phone without breaking words,
schedule pickers that leave “Save schedule” clear, rows named in their headings, and a summary
counter that counts past the limit instead of cutting."""

import pytest

from events.models import EventPage
from news.models import NewsIndexPage, NewsPage
from tests.admin.conftest import signed_in
from tests.admin.test_text_limits import PASTED
from tests.browser import needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Words of the listing's titles drawn over more than one line (a word broken inside itself).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main table.listing td.title a")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture
def base(live_server, demo_site):
    return live_server.url.rstrip("/")


@pytest.mark.parametrize("listing", ["/admin/news_listing/", "/admin/event_listing/", "NEWS_INDEX"])
def test_lists_fit_a_phone_and_break_no_title_inside_a_word(chromium, base, listing):
    page = signed_in(chromium, base, "edna", viewport={"width": 390, "height": 844})
    path = f"/admin/pages/{NewsIndexPage.objects.get().id}/" if listing == "NEWS_INDEX" else listing
    page.goto(base + path)
    table = page.locator("main table.listing")
    expect(table).to_be_visible()
    assert table.locator("td.title").count() > 0
    assert page.evaluate(BROKEN_WORDS) == []
    assert table.bounding_box()["width"] <= 390
    page.context.close()


def test_the_schedule_pickers_leave_save_schedule_clear(chromium, base):
    page = signed_in(chromium, base, "morgan")
    page.goto(f"{base}/admin/pages/{NewsPage.objects.first().id}/edit/")
    page.click("[data-side-panel-toggle='status']")
    page.get_by_role("button", name="Set schedule").click()
    save = page.get_by_role("button", name="Save schedule")
    for field in ("#id_go_live_at", "#id_expire_at"):
        page.click(field)
        picker = page.locator(".xdsoft_datetimepicker:visible")
        expect(picker).to_have_count(1)
        box, button = picker.bounding_box(), save.bounding_box()
        apart = (
            box["y"] + box["height"] <= button["y"]
            or button["y"] + button["height"] <= box["y"]
            or box["x"] + box["width"] <= button["x"]
            or button["x"] + button["width"] <= box["x"]
        )
        assert apart, f"the picker of {field} covers “Save schedule”"
    # Typed, then saved straight away: the button takes the click.
    page.fill("#id_expire_at", "31/12/2031 23:00")
    save.click()
    expect(page.get_by_text("31 Dec 2031, 23:00").first).to_be_visible()
    page.context.close()


def test_rows_are_named_in_their_headings(chromium, base):
    page = signed_in(chromium, base, "morgan")
    page.goto(f"{base}/admin/snippets/cms/navigationmenu/")
    page.get_by_role("link", name="Main menu").click()
    headings = page.locator("[data-inline-panel-child] [data-panel-heading-text]")
    expect(headings.first).to_have_text("Menu item 1: News")
    expect(headings.nth(5)).to_have_text("Menu item 6: Why join the PSG?")
    # A label given wins over the page's title, as it does on the site.
    page.locator("#id_items-0-label").fill("Latest news")
    expect(headings.first).to_have_text("Menu item 1: Latest news")
    page.get_by_role("button", name="Add menu item").click()
    expect(headings.nth(6)).to_have_text("Menu item 7")
    page.locator("#id_items-6-url").fill("https://www.example.org/donate")
    expect(headings.nth(6)).to_have_text("Menu item 7: https://www.example.org/donate")

    event = EventPage.objects.first()
    page.goto(f"{base}/admin/pages/{event.id}/edit/")
    page.click("#tab-label-event_details")
    prices = page.locator("#id_prices-FORMS [data-panel-heading-text]")
    expect(prices.first).to_contain_text("Ticket price 1: ")
    expect(page.get_by_role("button", name="Add ticket price")).to_be_visible()
    page.context.close()


def test_a_pasted_summary_is_kept_whole_and_counted_past_the_limit(chromium, base):
    page = signed_in(chromium, base, "edna")
    item = NewsPage.objects.first()
    page.goto(f"{base}/admin/pages/{item.id}/edit/")
    summary = page.locator("#id_summary")
    summary.fill("")
    summary.focus()
    page.keyboard.insert_text(PASTED)  # as a paste: one input, not keystrokes
    expect(summary).to_have_value(PASTED)
    counter = page.locator(".psg-character-count").first
    too_many = len(PASTED) - 300
    expect(counter).to_have_text(
        f"{len(PASTED)} / 300 characters: {too_many} too many; shorten it before saving"
    )
    page.click("footer button[name=action-draft], footer button[type=submit] >> nth=0")
    expect(page.get_by_text(f"At most 300 characters: this has {len(PASTED)}.")).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value(PASTED)
    page.context.close()
