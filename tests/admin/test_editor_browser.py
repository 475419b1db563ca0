"""A PSG editor's and a moderator's day in a real browser (Debian's Chromium driven by Playwright, against
the live server and PSG's demo content), checked against the editors' guide.

Every label the tests press or read is one docs/editors.md names (`guide_says`), and the sidebar
each group sees is the one the guide describes, so the guide cannot drift from the admin without a
test failing. Screenshots go to a temporary directory, or to docs/images/editors/ (the guide's)
with UPDATE_EDITOR_SCREENSHOTS=1. Skipped only when Chromium is not installed.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Workflow

from news.models import NewsIndexPage, NewsPage
from tests.browser import launch_chromium, needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = (DOCS / "editors.md").read_text(encoding="utf-8")
# The guide as a reader sees it: no Markdown emphasis, one space between words.
GUIDE_TEXT = " ".join(re.sub(r"\*\*?|`", "", GUIDE).split())
PASSWORD = "a-password-for-the-browser"  # noqa: S105 (test accounts on a throwaway database)

# The sidebar's top-level items each group sees, as the guide's “Who can do what” lists them.
SIDEBAR = {
    # Forms (what readers send) only for the Membership and events group: docs/privacy.md.
    "Editors": ["Pages", "News", "Events", "Images", "Documents", "Snippets", "Reports", "Help"],
    "Moderators": [
        "Pages",
        "News",
        "Events",
        "Images",
        "Documents",
        "Snippets",
        "Reports",
        "Settings",
        "Help",
    ],
}

pytestmark = [
    needs_chromium,
    # The live server's thread must see the content: real commits. Each test starts from the
    # migrated database (Wagtail's groups and their permissions); tests/admin/conftest.py runs
    # these tests last, after the flush they end with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def guide_says(phrase):
    """`phrase`, which docs/editors.md must say (the label a test is about to press or read)."""
    assert phrase in GUIDE_TEXT, f"docs/editors.md does not say {phrase!r}; the admin does"
    return phrase


@pytest.fixture
def shots(tmp_path):
    directory = DOCS / "images" / "editors"
    if os.environ.get("UPDATE_EDITOR_SCREENSHOTS") != "1":
        directory = tmp_path / "shots"
        directory.mkdir()

    def shoot(page, name):
        assert f"(images/editors/{name})" in GUIDE, f"docs/editors.md does not show {name}"
        # Nothing half-done in the picture: no modal backdrop fading out, no autosave under way.
        expect(page.locator(".modal-backdrop")).to_have_count(0)
        expect(page.get_by_text("Saving…")).to_be_hidden(timeout=15_000)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=directory / name)

    return shoot


@pytest.fixture
def browser(monkeypatch, demo):
    # Playwright's sync API keeps an event loop in this thread, so it starts after the database is
    # set up and stops before it is flushed: Django's per-context connections would otherwise miss
    # the restore of the migrated rows between tests. The ORM runs here only in fixtures.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(settings, tmp_path):
    """PSG's demo content and moderation workflow, an Editor (Edna) and a Moderator (Morgan)."""
    settings.MEDIA_ROOT = tmp_path / "browser-media"
    # Nothing from other hosts in the pictures: no gravatar, no release check.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    # The admin's own preview, which the Checks panel reads.
    settings.FRONTEND_URL = ""
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("setup_workflows", stdout=io.StringIO())
    users = {}
    for username, first_name, group in (("edna", "Edna", "Editors"), ("morgan", "Morgan", "Moderators")):
        user = get_user_model().objects.create_user(
            username, f"{username}@perusupportgroup.org.uk", PASSWORD, first_name=first_name
        )
        user.groups.add(Group.objects.get(name=group))
        users[group] = user
    return users


@pytest.fixture
def sign_in(browser, live_server):
    """A browser of one's own, signed in; every request for another host is refused and recorded."""
    base = live_server.url.rstrip("/")
    contexts, elsewhere = [], []

    def refuse(route):
        elsewhere.append(route.request.url)
        route.abort()

    def open_as(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.route(re.compile(rf"^(?!{re.escape(base)}/|data:|blob:)"), refuse)
        page = context.new_page()
        page.base = base
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        expect(page.get_by_role("heading", name="Peru Support Group")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert elsewhere == []


def sidebar(page):
    """The sidebar's top-level items, from the props the admin renders it from."""
    props = json.loads(page.locator("#wagtail-sidebar-props").text_content())
    menu = next(module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule")
    return [item["_args"][0]["label"] for item in menu["_args"][0]]


def check_reach(page, group):
    """The sidebar shows `group` what the guide's “Who can do what” says it does, and no more."""
    shown = sidebar(page)
    assert shown == SIDEBAR[group]
    said = re.search(rf"- \*\*{group}\*\* \(the \*{group}\* group\) see (.+?)\.", " ".join(GUIDE.split()))
    assert said, f"docs/editors.md no longer says what {group} see"
    if said[1].startswith("the same,"):
        # What Moderators see beyond Editors is named where the guide says what they also do.
        extra = [label for label in shown if label not in SIDEBAR["Editors"]]
        also = " ".join(GUIDE.split())[said.end() :].split("\n- ")[0]
        assert extra and all(f"**{label}" in also for label in extra), (extra, also[:200])
    else:
        assert re.findall(r"\*\*(.+?)\*\*", said[1]) == [label for label in shown if label != "Help"]


def dashboard_panels(page):
    page.goto(f"{page.base}/admin/")
    return [heading.inner_text().strip() for heading in page.locator("main section.w-panel h2").all()]


def open_menu_next_to_save_draft(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def wait_for_the_form_to_watch_for_changes(page):
    """Wagtail's unsaved-changes watcher (which starts the autosave) notes the form's starting state
    2 s after the page loads; whatever is typed before then counts as the start and is not saved."""
    page.wait_for_function(
        """() => window.wagtail?.app?.getControllerForElementAndIdentifier(
            document.getElementById("page-edit-form"), "w-unsaved")?.initialFormData"""
    )


def message(page):
    return " ".join(page.locator(".messages").inner_text().split())


def test_an_editor_writes_news_submits_it_and_checks_it(demo, sign_in, shots):
    page = sign_in(demo["Editors"])
    check_reach(page, "Editors")

    # The guide is in the Help menu.
    page.get_by_role("button", name="Help").click()
    page.get_by_role("list", name="Help").get_by_role("link", name=guide_says("PSG editors' guide")).click()
    expect(page.get_by_role("heading", name="Editing the PSG site: a short guide")).to_be_visible()

    # A news item: title, summary (with its counter), a topic, an image from the library.
    page.goto(f"{page.base}/admin/")
    page.get_by_role("link", name=guide_says("News"), exact=True).click()
    page.get_by_role("link", name=guide_says("Add news item")).click()
    wait_for_the_form_to_watch_for_changes(page)
    page.fill("#id_title", "Road blockade resumes at Las Bambas")
    summary = (
        "Communities along the mining corridor block the road again, asking for the promised consultation."
    )
    page.fill("#id_summary", summary)
    expect(page.locator(".psg-character-count").first).to_have_text(f"{len(summary)} / 300 characters")
    page.get_by_label(guide_says("Mining")).check()
    page.get_by_role("button", name=guide_says("Choose an image")).click()
    page.locator(".modal").get_by_text("mountain peak at dawn").first.click()
    expect(page.locator(".modal")).to_be_hidden()
    expect(page.locator("[data-chooser-title]").first).to_have_text("Illustration: mountain peak at dawn")
    # The admin saves as one types: the new item now exists, and the form edits it.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=15_000)
    page.set_viewport_size({"width": 1280, "height": 1100})  # down to the chosen image
    page.locator("#id_title").scroll_into_view_if_needed()
    shots(page, "news-form.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Editors submit for review; publishing is not theirs.
    open_menu_next_to_save_draft(page)
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.get_by_role("button", name=guide_says("Submit to News and events review")).click()
    assert "submitted for moderation" in message(page)

    # Their dashboard: the page in moderation first, and among the drafts.
    panels = dashboard_panels(page)
    assert panels[:2] == [
        guide_says("Your pages and snippets in a workflow"),
        guide_says("Scheduled and drafts"),
    ]
    assert panels[2:] == [
        guide_says("Upcoming events"),
        guide_says("Recently published news"),
        guide_says("Your most recent edits"),
    ]
    drafts = page.locator("#psg-scheduled-and-drafts-content")
    expect(drafts.get_by_text("Road blockade resumes at Las Bambas")).to_be_visible()
    expect(drafts.get_by_text("In moderation")).to_be_visible()
    shots(page, "dashboard-editor.png")

    # The News list, filtered to drafts, with the boxes for bulk actions.
    page.get_by_role("link", name="News", exact=True).click()
    page.get_by_role("button", name="Show filters").click()
    filters = page.locator("#filters-drilldown")
    for label in ("Topic", "Publishing status", "Publication date"):
        expect(filters.get_by_role("button", name=guide_says(label))).to_be_visible()
    filters.get_by_role("button", name="Publishing status").click()
    filters.get_by_label("Draft (changes not yet published)").check()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Road blockade resumes at Las Bambas")
    expect(rows.first.locator("input[data-bulk-action-checkbox]")).to_be_attached()
    shots(page, "news-listing.png")

    # The Checks panel counts the words of a demo news item's preview.
    item = NewsPage.objects.get(title="Violence at Las Bambas, again")
    page.goto(f"{page.base}/admin/pages/{item.id}/edit/")
    page.get_by_role("button", name=f"Toggle {guide_says('Checks').lower()}").click()
    for metric in ("Words", "Reading time", "Readability"):
        guide_says(metric)
    words = page.locator("[data-content-word-count]")
    expect(words).to_have_text(re.compile(r"^\d+$"), timeout=20_000)
    assert int(words.inner_text()) > 50
    shots(page, "checks-panel.png")
    page.get_by_role("button", name="Toggle checks").click()  # the admin remembers open panels

    # An event that ends before it starts is refused, with the reason on the end field.
    page.goto(f"{page.base}/admin/")
    page.get_by_role("link", name=guide_says("Events"), exact=True).click()
    page.get_by_role("link", name=guide_says("Add event")).click()
    page.fill("#id_title", "Annual conference")
    page.fill("#id_summary", "PSG's annual conference on human rights and mining in Peru.")
    page.get_by_role("tab", name=guide_says("Event details")).click()
    page.fill("#id_starts_at", "05/11/2030 17:00")
    page.fill("#id_ends_at", "05/11/2030 10:30")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=guide_says("Save draft")).click()
    page.get_by_role("tab", name="Event details").click()
    expect(page.get_by_text("The event must end after it starts.")).to_be_visible()
    page.locator("#id_ends_at").scroll_into_view_if_needed()
    shots(page, "event-error.png")

    # The image library asks for the alt text.
    image = get_image_model().objects.get(title="Illustration: river through the rainforest")
    page.goto(f"{page.base}/admin/images/{image.id}/")
    expect(page.get_by_text(guide_says("Description (alt text)"))).to_be_visible()
    expect(page.locator("main img").first).to_have_js_property("complete", True)
    assert page.locator("main img").first.evaluate("img => img.naturalWidth") > 0
    shots(page, "image-alt-text.png")


def _submitted_by(editor, title):
    """A news item `editor` submitted to the News and events review."""
    news_index = NewsIndexPage.objects.get()
    item = NewsPage(title=title, summary="A minister resigns after the road blockade.", live=False)
    news_index.add_child(instance=item)
    item.save_revision(user=editor, log_action=True)
    Workflow.objects.get(name="News and events review").start(item, editor)
    return item


def test_a_moderator_approves_schedules_and_undoes_a_mistake(demo, sign_in, shots):
    _submitted_by(demo["Editors"], "Minister resigns over Las Bambas")
    page = sign_in(demo["Moderators"])
    check_reach(page, "Moderators")

    # What waits for their review comes first.
    panels = dashboard_panels(page)
    assert panels[0] == guide_says("Awaiting your review")
    review = page.locator("section", has_text="Awaiting your review").first
    expect(review.get_by_text("Minister resigns over Las Bambas")).to_be_visible()
    shots(page, "dashboard-moderator.png")

    # Approving says what it did.
    review.locator("[data-w-dropdown-target='toggle']").first.click()
    review.get_by_role("button", name=guide_says("Approve"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        guide_says("Approved and published “") + "Minister resigns over Las Bambas”."
    )
    assert NewsPage.objects.get(title="Minister resigns over Las Bambas").live

    # Scheduling: a go-live time, then “Schedule to publish”.
    page.get_by_role("link", name="News", exact=True).click()
    page.get_by_role("link", name="Add news item").click()
    page.fill("#id_title", "Annual report on human rights in Peru")
    page.fill("#id_summary", "PSG's annual report, published on the day of its launch in London.")
    page.get_by_role("button", name=f"Toggle {guide_says('Status').lower()}").click()
    page.get_by_role("button", name=guide_says("Set schedule")).click()
    page.locator("#id_go_live_at").press_sequentially("10/12/2030 18:30")
    page.locator("#id_go_live_at").press("Tab")  # leaves the field, which closes the date picker
    page.get_by_role("button", name=guide_says("Save schedule")).click()
    page.get_by_role("button", name=guide_says("Save draft")).click()
    expect(page.locator(".messages")).to_be_visible()
    open_menu_next_to_save_draft(page)
    schedule = page.get_by_role("button", name=guide_says("Schedule to publish"))
    expect(schedule).to_be_visible()
    shots(page, "schedule.png")
    schedule.click()
    expect(page.locator(".messages")).to_contain_text("scheduled for publishing")

    # The dashboard lists it with its go-live time.
    dashboard_panels(page)
    scheduled = page.locator(
        "#psg-scheduled-and-drafts-content tbody tr", has_text="Annual report on human rights"
    )
    expect(scheduled).to_contain_text(guide_says("Goes live") + " 10 Dec 2030, 18:30")
    expect(scheduled).to_contain_text(guide_says("scheduled"))
    page.locator("#psg-scheduled-and-drafts-content").scroll_into_view_if_needed()
    shots(page, "scheduled.png")

    # A demo page edited by mistake goes back to its loaded version.
    loaded = NewsPage.objects.get(title="Opposition to TPP")
    page.goto(f"{page.base}/admin/pages/{loaded.id}/edit/")
    page.fill("#id_title", "Oposition to TTP")
    open_menu_next_to_save_draft(page)
    page.get_by_role("button", name=guide_says("Publish"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text("has been published")
    page.goto(f"{page.base}/admin/pages/{loaded.id}/edit/")
    page.get_by_role("link", name=guide_says("History")).first.click()
    first_version = page.locator("main tbody tr", has_text="Draft saved").filter(has_text="system")
    first_version.locator("[data-w-dropdown-target='toggle']").click()
    shots(page, "history.png")
    first_version.get_by_role("link", name=guide_says("Review this version")).click()
    expect(page.locator("#id_title")).to_have_value("Opposition to TPP")
    open_menu_next_to_save_draft(page)
    page.get_by_role("button", name=guide_says("Publish this version")).click()
    expect(page.locator(".messages")).to_contain_text("has been published")
    guide_says("Replace current draft")
    reverted = NewsPage.objects.get(pk=loaded.pk)
    assert (reverted.title, reverted.live, reverted.has_unpublished_changes) == (
        "Opposition to TPP",
        True,
        False,
    )
