"""The page explorer lists events by start date and news by publication date; the dashboard panels."""

import datetime
import re

import pytest

from tests.factories import LONDON, EventPageFactory, NewsPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _titles_in_order(content, titles):
    positions = {title: content.index(title) for title in titles}
    return sorted(titles, key=positions.__getitem__)


@pytest.fixture
def events(site):
    events_index = site[2]
    return [
        EventPageFactory(
            parent=events_index,
            title=title,
            starts_at=datetime.datetime(2030, month, 5, 10, 30, tzinfo=LONDON),
            ends_at=datetime.datetime(2030, month, 5, 17, 0, tzinfo=LONDON),
            status=status,
        )
        for title, month, status in [
            ("March meeting", 3, "scheduled"),
            ("November conference", 11, "postponed"),
            ("June vigil", 6, "scheduled"),
        ]
    ]


@pytest.fixture
def news(site):
    news_index = site[1]
    mining = TopicFactory(name="Mining")
    items = []
    for title, day in [("Older story", 1), ("Newest story", 20), ("Middle story", 10)]:
        item = NewsPageFactory(parent=news_index, title=title, publication_date=datetime.date(2026, 11, day))
        item.topics.add(mining)
        item.save_revision().publish()
        items.append(item)
    return items


def test_events_index_lists_its_events_by_start_date_with_date_and_status(site, events, admin_client):
    response = admin_client.get(f"/admin/pages/{site[2].id}/")
    assert response.status_code == 200
    content = response.content.decode()
    titles = ["March meeting", "November conference", "June vigil"]
    assert _titles_in_order(content, titles) == ["November conference", "June vigil", "March meeting"]
    assert "Starts" in content and "Postponed" in content
    # Editors can sort the other way by the same column.
    content = admin_client.get(f"/admin/pages/{site[2].id}/?ordering=starts_at").content.decode()
    assert _titles_in_order(content, titles) == ["March meeting", "June vigil", "November conference"]


def test_news_index_lists_its_items_by_publication_date_with_topics(site, news, admin_client):
    response = admin_client.get(f"/admin/pages/{site[1].id}/")
    assert response.status_code == 200
    content = response.content.decode()
    titles = ["Older story", "Newest story", "Middle story"]
    assert _titles_in_order(content, titles) == ["Newest story", "Middle story", "Older story"]
    assert "Published on" in content
    # In the rows, not the topic filter's choices.
    rows = content[content.index("<tbody", content.index('<table class="listing')) :]
    assert len(re.findall(r">\s*Mining\s*<", rows[: rows.index("</tbody>")])) == 3


def test_news_and_events_have_their_own_admin_menu_listings(site, events, news, admin_client):
    home = admin_client.get("/admin/").content.decode()
    assert "/admin/news_listing/" in home and "/admin/event_listing/" in home
    content = admin_client.get("/admin/event_listing/").content.decode()
    assert "November conference" in content
    content = admin_client.get("/admin/news_listing/").content.decode()
    assert _titles_in_order(content, ["Older story", "Newest story"]) == ["Newest story", "Older story"]


def test_dashboard_shows_upcoming_events_and_recent_news(site, events, news, admin_client):
    content = admin_client.get("/admin/").content.decode()
    assert "Upcoming events" in content and "Recently published news" in content
    assert _titles_in_order(content, ["March meeting", "June vigil"]) == ["March meeting", "June vigil"]
    assert "Newest story" in content
    assert "Postponed" in content
