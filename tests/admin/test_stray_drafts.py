"""What the guide says of a stray draft (one autosave created): an Editor deletes a page that is
not live; a live page is a Moderator's to unpublish or delete."""

import io

import pytest
from django.core.management import call_command

from news.models import NewsPage
from tests.admin.conftest import news_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    call_command("setup_workflows", stdout=io.StringIO())


def _draft_by(client, news_index):
    response = client.post(f"/admin/pages/add/news/newspage/{news_index.id}/", news_form())
    assert response.status_code == 302
    return NewsPage.objects.get()


def test_an_editor_deletes_their_own_stray_draft(site, editor, client):
    client.force_login(editor)
    draft = _draft_by(client, site[1])
    assert not draft.live
    assert client.get(f"/admin/pages/{draft.id}/delete/").status_code == 200
    assert client.post(f"/admin/pages/{draft.id}/delete/").status_code == 302
    assert not NewsPage.objects.exists()


def test_a_live_page_is_not_an_editors_to_delete(site, editor, client):
    client.force_login(editor)
    page = _draft_by(client, site[1])
    page.save_revision().publish()
    client.post(f"/admin/pages/{page.id}/delete/")
    assert NewsPage.objects.filter(pk=page.pk, live=True).exists()
