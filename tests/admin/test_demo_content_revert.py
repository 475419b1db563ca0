"""A demo page edited by mistake goes back to its loaded version through the page's history."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from news.models import NewsPage

pytestmark = pytest.mark.django_db

TITLE = "Opposition to TPP"


@pytest.fixture
def loaded_item():
    call_command("load_demo_content", stdout=io.StringIO())
    return NewsPage.objects.get(title=TITLE)


def _edit_form(client, url):
    """The edit form's fields as the page at `url` fills them in, the body as the admin posts it."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").dict()
    body = response.context["form"].instance.body
    blocks = [(block.block_type, rich_text(block.value.source)) for block in body]
    return {**data, **nested_form_data({"body": streamfield(blocks)})}


def _texts(body):
    # What readers get; the editor adds block keys to paragraphs it saves.
    return [(block.block_type, BeautifulSoup(block.value.source, "html.parser").get_text()) for block in body]


def _history_links(client, page, revision):
    """The page history's links for `revision`, by label."""
    soup = BeautifulSoup(client.get(f"/admin/pages/{page.id}/history/").content, "html.parser")
    links = soup.select(f'a[href*="/revisions/{revision.id}/"]')
    return {link.get_text(strip=True): link["href"] for link in links}


def test_a_mistaken_edit_of_loaded_news_is_reverted_to_the_loaded_version(loaded_item, moderator, client):
    loaded_revision = loaded_item.live_revision
    loaded = loaded_revision.as_object()
    client.force_login(moderator)
    edit_url = f"/admin/pages/{loaded_item.id}/edit/"

    # The mistake: a new title and summary, published.
    mistaken = _edit_form(client, edit_url)
    mistaken.update(
        {"title": "Oposition to TTP", "summary": "Typed in a hurry.", "action-publish": "action-publish"}
    )
    assert client.post(edit_url, mistaken).status_code == 302
    loaded_item.refresh_from_db()
    assert loaded_item.title == "Oposition to TTP"

    # The history offers the loaded version for review; reviewing it fills the form with it.
    review_url = _history_links(client, loaded_item, loaded_revision)["Review this version"]
    reverted = _edit_form(client, review_url)
    assert reverted["title"] == TITLE
    reverted["action-publish"] = "action-publish"
    response = client.post(review_url, reverted)
    assert response.status_code == 302

    live = NewsPage.objects.get(pk=loaded_item.pk)
    assert (live.title, live.summary, live.publication_date) == (
        loaded.title,
        loaded.summary,
        loaded.publication_date,
    )
    assert _texts(live.body) == _texts(loaded.body)
    assert sorted(live.topics.names()) == ["Politics"]
    assert not live.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=live, action="wagtail.revert").exists()
