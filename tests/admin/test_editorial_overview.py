"""What is scheduled and what waits as a draft, with go-live times: on the dashboard, as a report, and as
filters (topic, publishing status, date) and bulk actions in the News and Events listings."""

import csv
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from freezegun import freeze_time

from tests.factories import LONDON, EventPageFactory, NewsPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

GOES_LIVE = datetime.datetime(2030, 12, 10, 18, 30, tzinfo=LONDON)


def _published(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def content(site):
    _home, news_index, events_index = site
    mining, politics = TopicFactory(name="Mining"), TopicFactory(name="Politics")
    live = NewsPageFactory(
        parent=news_index, title="Live mining story", publication_date=datetime.date(2026, 11, 2)
    )
    live.topics.add(mining)
    _published(live)

    # Scheduled: published with a go-live time still to come.
    scheduled = NewsPageFactory(
        parent=news_index, title="Embargoed report", publication_date=datetime.date(2026, 12, 10), live=False
    )
    scheduled.topics.add(politics)
    scheduled.go_live_at = GOES_LIVE
    _published(scheduled)

    draft = NewsPageFactory(
        parent=news_index, title="Unfinished draft", publication_date=datetime.date(2026, 11, 20), live=False
    )
    draft.topics.add(mining)
    draft.save()  # as the admin saves a page never published: the row and its topics, then a revision
    draft.save_revision()

    changed = _published(NewsPageFactory(parent=news_index, title="Live story being corrected"))
    changed.title = "Live story, corrected"
    changed.save_revision()

    event = EventPageFactory(
        parent=events_index,
        title="Vigil announced later",
        live=False,
        starts_at=datetime.datetime(2031, 1, 15, 18, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2031, 1, 15, 20, 0, tzinfo=LONDON),
    )
    event.go_live_at = datetime.datetime(2030, 12, 1, 9, 0, tzinfo=LONDON)
    _published(event)
    _published(EventPageFactory(parent=events_index, title="Postponed meeting", status="postponed"))
    return {"live": live, "scheduled": scheduled, "draft": draft, "changed": changed, "event": event}


def _panel(client):
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    panel = soup.find(id="psg-scheduled-and-drafts-content")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in panel.select("tbody tr")], panel


def test_the_dashboard_lists_what_is_scheduled_with_its_go_live_time_then_drafts(content, editor, client):
    client.force_login(editor)
    rows, panel = _panel(client)
    assert rows[0].startswith("Vigil announced later")
    assert rows[0].endswith("Goes live 1 Dec 2030, 09:00")
    assert rows[1].startswith("Embargoed report")
    assert rows[1].endswith("Goes live 10 Dec 2030, 18:30")
    # Then drafts, the latest edited first; the live page shows its draft title.
    assert [row.split(" ")[0:3] for row in rows[2:]] == [
        ["Live", "story,", "corrected"],
        ["Unfinished", "draft", "News"],
    ]
    assert "Live mining story" not in panel.get_text()
    link = panel.find("a", string=lambda text: text and "scheduled and draft pages" in text)
    assert link.get_text(strip=True) == "All 4 scheduled and draft pages"
    assert link["href"] == "/admin/scheduled-and-drafts/"


def test_a_draft_asking_for_a_go_live_time_says_so(content, editor, client):
    draft = content["draft"]
    draft.go_live_at = datetime.datetime(2031, 2, 1, 8, 0, tzinfo=LONDON)
    draft.save_revision()
    client.force_login(editor)
    rows, _panel_html = _panel(client)
    assert any(
        row.startswith("Unfinished draft") and row.endswith("1 Feb 2031, 08:00 once published")
        for row in rows
    )


def _report_rows(client, **filters):
    response = client.get("/admin/scheduled-and-drafts/", filters)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.select("main tbody tr")
    ]


def test_the_report_lists_scheduled_pages_and_drafts_and_filters_them(content, moderator, client):
    client.force_login(moderator)
    rows = _report_rows(client)
    assert [row[0] for row in rows] == [
        "Vigil announced later",
        "Embargoed report",
        "Live story, corrected",
        "Unfinished draft",
    ]
    assert rows[0][1] == "Event" and rows[0][3] == "1 Dec 2030, 09:00"
    assert [row[0] for row in _report_rows(client, publishing="scheduled")] == [
        "Vigil announced later",
        "Embargoed report",
    ]
    assert [row[0] for row in _report_rows(client, publishing="draft")] == [
        "Live story, corrected",
        "Unfinished draft",
    ]


def test_the_report_exports_its_rows(content, moderator, client):
    client.force_login(moderator)
    response = client.get("/admin/scheduled-and-drafts/", {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["Title"], row["Type"], row["Goes live"]) for row in rows] == [
        ("Vigil announced later", "Event", "1 Dec 2030, 09:00"),
        ("Embargoed report", "News item", "10 Dec 2030, 18:30"),
        ("Live story, corrected", "News item", ""),
        ("Unfinished draft", "News item", ""),
    ]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", rows[0]["Last edited"])


def test_the_report_is_under_reports_for_those_who_work_on_pages(content, editor, client, django_user_model):
    client.force_login(editor)
    assert "/admin/scheduled-and-drafts/" in client.get("/admin/").content.decode()
    nobody = django_user_model.objects.create_user("nobody", password="pw-for-tests")
    client.force_login(nobody)
    assert client.get("/admin/scheduled-and-drafts/").status_code == 302


def _listing_titles(client, url, **filters):
    response = client.get(url, filters)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.get_text(strip=True) for link in soup.select("main tbody td.title a[href$='/edit/']")], soup


def test_the_news_listing_filters_by_topic_status_and_date(content, moderator, client):
    client.force_login(moderator)
    mining = content["live"].topics.get().pk
    titles, soup = _listing_titles(client, "/admin/news_listing/", topics=mining)
    assert sorted(titles) == ["Live mining story", "Unfinished draft"]
    assert _listing_titles(client, "/admin/news_listing/", publishing="scheduled")[0] == ["Embargoed report"]
    assert sorted(_listing_titles(client, "/admin/news_listing/", publishing="draft")[0]) == [
        "Live story, corrected",
        "Unfinished draft",
    ]
    assert sorted(_listing_titles(client, "/admin/news_listing/", publishing="live")[0]) == [
        "Live mining story",
        "Live story, corrected",
    ]
    november = {"publication_date_from": "2026-11-01", "publication_date_to": "2026-11-30"}
    assert sorted(_listing_titles(client, "/admin/news_listing/", **november)[0]) == [
        "Live mining story",
        "Unfinished draft",
    ]


def test_the_news_listing_shows_go_live_times_and_bulk_action_checkboxes(content, moderator, client):
    client.force_login(moderator)
    _titles, soup = _listing_titles(client, "/admin/news_listing/")
    headers = [th.get_text(" ", strip=True) for th in soup.select("main thead th")]
    assert "Goes live" in headers
    row = next(tr for tr in soup.select("main tbody tr") if "Embargoed report" in tr.get_text())
    assert "10 Dec 2030, 18:30" in row.get_text()
    checkboxes = soup.select("main tbody input[data-bulk-action-checkbox]")
    assert len(checkboxes) == 4
    assert soup.select_one("[data-bulk-action-footer]") is not None


def test_the_news_index_in_the_explorer_filters_the_same_way(content, site, moderator, client):
    client.force_login(moderator)
    titles, _soup = _listing_titles(client, f"/admin/pages/{site[1].id}/", publishing="scheduled")
    assert titles == ["Embargoed report"]


def test_the_events_listing_filters_by_status_event_status_and_date(content, moderator, client):
    client.force_login(moderator)
    assert _listing_titles(client, "/admin/event_listing/", publishing="scheduled")[0] == [
        "Vigil announced later"
    ]
    assert _listing_titles(client, "/admin/event_listing/", event_status="postponed")[0] == [
        "Postponed meeting"
    ]
    january = {"starts_at_from": "2031-01-01", "starts_at_to": "2031-01-31"}
    titles, soup = _listing_titles(client, "/admin/event_listing/", **january)
    assert titles == ["Vigil announced later"]
    assert soup.select("main tbody input[data-bulk-action-checkbox]")


def test_a_scheduled_page_leaves_the_overview_once_live(content, editor, client):
    with freeze_time(GOES_LIVE + datetime.timedelta(minutes=5)):
        call_command("publish_scheduled", stdout=io.StringIO())
        client.force_login(editor)
        rows, _panel_html = _panel(client)
    assert not any(row.startswith(("Embargoed report", "Vigil announced later")) for row in rows)
    assert len(rows) == 2


def test_the_filters_apply_to_search_results_too(content, site, moderator, client):
    client.force_login(moderator)
    mining = content["live"].topics.get().pk
    news = "/admin/news_listing/"
    assert _listing_titles(client, news, q="story", topics=mining)[0] == ["Live mining story"]
    assert _listing_titles(client, news, q="story", publishing="draft")[0] == ["Live story, corrected"]
    assert _listing_titles(client, news, q="report", publishing="scheduled")[0] == ["Embargoed report"]
    explorer = f"/admin/pages/{site[1].id}/"
    assert _listing_titles(client, explorer, q="draft", publishing="draft")[0] == ["Unfinished draft"]
    events = {"q": "meeting", "event_status": "postponed", "publishing": "live"}
    assert _listing_titles(client, "/admin/event_listing/", **events)[0] == ["Postponed meeting"]
