"""News and events go through moderation: Editors submit, Moderators approve and publish."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Workflow, WorkflowPage

from news.models import NewsPage
from tests.admin.conftest import news_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow(site):
    call_command("setup_workflows", stdout=io.StringIO())
    return Workflow.objects.get(name="News and events review")


def test_setup_workflows_assigns_the_review_to_news_and_events_and_is_idempotent(site, workflow):
    call_command("setup_workflows", stdout=io.StringIO())
    assert Workflow.objects.filter(name="News and events review").count() == 1
    assigned = set(WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True))
    assert assigned == {site[1].id, site[2].id}
    assert [task.specific.groups.get().name for task in workflow.tasks.all()] == ["Moderators"]
    assert site[1].get_workflow() == workflow


def _add_news(client, news_index, **data):
    return client.post(f"/admin/pages/add/news/newspage/{news_index.id}/", news_form(**data))


def test_an_editor_can_submit_news_for_moderation_but_not_publish(site, workflow, editor, client):
    client.force_login(editor)
    news_index = site[1]
    form_page = client.get(f"/admin/pages/add/news/newspage/{news_index.id}/").content.decode()
    assert 'name="action-submit"' in form_page
    assert 'name="action-publish"' not in form_page

    # Asking to publish anyway only saves a draft.
    response = _add_news(client, news_index, **{"action-publish": "action-publish"})
    assert response.status_code == 302
    draft = NewsPage.objects.get()
    assert not draft.live and draft.current_workflow_state is None

    response = _add_news(client, news_index, slug="second-story", **{"action-submit": "action-submit"})
    assert response.status_code == 302
    submitted = NewsPage.objects.get(slug="second-story")
    assert not submitted.live
    state = submitted.current_workflow_state
    assert state.workflow == workflow and state.status == "in_progress"


def test_a_moderator_approves_and_the_news_goes_live(site, workflow, editor, moderator, client):
    client.force_login(editor)
    _add_news(client, site[1], **{"action-submit": "action-submit"})
    page = NewsPage.objects.get()
    task_state = page.current_workflow_state.current_task_state

    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert page.title in dashboard  # “Awaiting your review”
    response = client.post(
        f"/admin/pages/workflow/action/{page.id}/approve/{task_state.id}/", {"comment": "Good to go."}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
