"""Moderators find “Awaiting your review” first on the dashboard, and an approval says what it did."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from news.models import NewsPage
from tests.admin.conftest import news_form
from tests.factories import LONDON, EventPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(site, editor):
    """Submits a news item to the News and events review, as an Editor in a browser of their own."""
    call_command("setup_workflows", stdout=io.StringIO())
    EventPageFactory(parent=site[2], title="Annual conference").save_revision().publish()
    NewsPageFactory(parent=site[1], title="Older story").save_revision()
    editors_browser = Client()
    editors_browser.force_login(editor)

    def submit(**fields):
        data = news_form(**fields, **{"action-submit": "action-submit"})
        response = editors_browser.post(f"/admin/pages/add/news/newspage/{site[1].id}/", data)
        assert response.status_code == 302
        return NewsPage.objects.get(slug=fields.get("slug", "las-bambas-road-blockade-resumes"))

    return submit


def _panel_headings(client):
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    return [heading.get_text(strip=True) for heading in soup.select("main section.w-panel h2")]


def test_awaiting_your_review_comes_first_for_moderators(submitted, moderator, client):
    submitted()
    client.force_login(moderator)
    headings = _panel_headings(client)
    assert headings[0] == "Awaiting your review"
    assert headings.index("Scheduled and drafts") < headings.index("Upcoming events")


def test_editors_find_their_pages_in_moderation_first(submitted, editor, client):
    submitted()
    client.force_login(editor)
    assert _panel_headings(client)[0] == "Your pages and snippets in a workflow"


def _approve(client, page, **headers):
    task_state = page.current_workflow_state.current_task_state
    url = f"/admin/pages/workflow/action/{page.id}/approve/{task_state.id}/"
    return client.post(url, {"comment": "Good to go.", "next": "/admin/"}, **headers)


def _messages(client, url="/admin/"):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".messages li")]


def test_approving_from_the_dashboard_confirms_the_publication(submitted, moderator, client):
    page = submitted()
    client.force_login(moderator)
    # The dashboard's “Approve” sends the comment from a dialog and follows where it answers.
    response = _approve(client, page, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert response.json()["step"] == "success"
    assert _messages(client) == ["Approved and published “Las Bambas: the road blockade resumes”."]
    page.refresh_from_db()
    assert page.live


def test_approving_a_scheduled_item_says_when_it_goes_live(submitted, moderator, client):
    page = submitted(go_live_at="2030-12-10 18:30")
    client.force_login(moderator)
    assert _approve(client, page).status_code == 302
    messages = _messages(client)
    assert messages == [
        "Approved “Las Bambas: the road blockade resumes”: it goes live on 10 Dec 2030, 18:30."
    ]
    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision.approved_go_live_at == datetime.datetime(
        2030, 12, 10, 18, 30, tzinfo=LONDON
    )


def test_requesting_changes_is_not_called_an_approval(submitted, moderator, client):
    page = submitted()
    client.force_login(moderator)
    task_state = page.current_workflow_state.current_task_state
    url = f"/admin/pages/workflow/action/{page.id}/reject/{task_state.id}/"
    assert client.post(url, {"comment": "Check the date."}).status_code == 302
    assert not any("Approved" in message for message in _messages(client))


def test_approving_from_the_page_editor_confirms_too(submitted, moderator, client):
    page = submitted()
    client.force_login(moderator)
    data = news_form(
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": "{}",
        }
    )
    response = client.post(f"/admin/pages/{page.id}/edit/", data)
    assert response.status_code == 302
    assert "Approved and published “Las Bambas: the road blockade resumes”." in _messages(client)
