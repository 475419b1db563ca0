import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models.signals import post_delete
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from api import previews
from news.models import NewsPage
from tests.factories import NewsPageFactory, StandardPageFactory, make_site

PREVIEW_QUERY = """
query Preview($token: String!) {
  preview(token: $token) { title ... on NewsPage { summary } }
}
"""


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def _press_preview(editor_client, page, title):
    """Save a draft change through the admin's preview endpoint and return the token issued."""
    url = f"/admin/pages/{page.id}/edit/preview/"
    form = {
        "title": title,
        "slug": page.slug,
        "publication_date": "2016-10-29",
        "summary": "Draft summary.",
        "body-count": "0",
        "topics": "",
        "main_image": "",
    }
    assert editor_client.post(url, form).json()["is_valid"] is True
    response = editor_client.get(url)
    assert response.status_code == 200
    match = re.search(r"token=([^\"&]+)", response.content.decode())
    assert match, response.content.decode()[:2000]
    from urllib.parse import unquote

    return unquote(match.group(1))


@pytest.mark.django_db
def test_preview_round_trip_and_expiry(editor_client, gql, settings):
    settings.PREVIEW_TOKEN_MAX_AGE = 3600
    _home, news_index, _events = make_site()
    page = NewsPageFactory(parent=news_index, title="Published title")
    now = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)
    with freeze_time(now):
        token = _press_preview(editor_client, page, "Draft title")
    editor_client.logout()

    with freeze_time(now + datetime.timedelta(minutes=59)):
        data = gql(PREVIEW_QUERY, {"token": token})
    assert data["preview"] == {"title": "Draft title", "summary": "Draft summary."}

    # The draft never reaches the public queries.
    assert gql(f'{{ page(id: "{page.id}") {{ title }} }}')["page"]["title"] == "Published title"

    with freeze_time(now + datetime.timedelta(minutes=61)):
        _status, expired = gql.errors(PREVIEW_QUERY, {"token": token})
    _status, forged = gql.errors(PREVIEW_QUERY, {"token": token[:-3] + "abc"})
    _status, missing = gql.errors(PREVIEW_QUERY, {"token": "id=999999:1abc:def"})
    for errors in (expired, forged, missing):
        assert errors[0]["extensions"]["code"] == "PREVIEW_TOKEN_INVALID"
        assert errors[0]["message"] == expired[0]["message"]


@pytest.mark.django_db
def test_preview_without_frontend_renders_the_draft_in_the_admin(editor_client, settings):
    settings.FRONTEND_URL = ""
    _home, news_index, _events = make_site()
    page = NewsPageFactory(parent=news_index, title="Published title")
    url = f"/admin/pages/{page.id}/edit/preview/"
    form = {
        "title": "Draft only title",
        "slug": page.slug,
        "publication_date": "2016-10-29",
        "summary": "Draft summary.",
        "body-count": "0",
        "topics": "",
        "main_image": "",
    }
    assert editor_client.post(url, form).json()["is_valid"] is True
    html = editor_client.get(url).content.decode()
    assert "Draft only title" in html
    assert "Draft summary." in html


# --- A token lives only as long as its draft is current (api/previews.py) -----------------------

NEVER_ISSUED = HeadlessPreviewMixin.get_preview_signer().sign("id=987654")


def _answer(client, token):
    """The whole answer to a preview query: status and JSON body."""
    body = json.dumps({"query": PREVIEW_QUERY, "variables": {"token": token}})
    response = client.post("/graphql/", body, content_type="application/json")
    return response.status_code, response.json()


def _assert_dead(client, token):
    """The token answers exactly as a token that was never issued."""
    dead = _answer(client, token)
    assert dead == _answer(client, NEVER_ISSUED)
    status, payload = dead
    assert status == 400 and payload["errors"][0]["extensions"]["code"] == "PREVIEW_TOKEN_INVALID"
    assert "data" not in payload or payload["data"] is None


def _stored_previews(page_id):
    return [p for p in PagePreview.objects.all() if p.token.startswith(f"id={page_id}:")]


@pytest.fixture
def previewed(editor_client, client):
    """A live news page with a draft previewed: (site pages, page, token); the client signed out."""
    home, news_index, events_index = make_site()
    page = NewsPageFactory(parent=news_index, title="Published title", slug="story")
    token = _press_preview(editor_client, page, "Draft title")
    client.logout()
    assert _answer(client, token)[1]["data"]["preview"]["title"] == "Draft title"
    return (home, news_index, events_index), page, token


def _delete_page(pages, page):
    page.delete()


def _delete_parent(pages, page):
    pages[1].delete()


def _publish_it(pages, page):
    page.refresh_from_db()
    page.title = "Published draft"
    page.save_revision().publish()


def _publish_without_the_previewed_changes(pages, page):
    page.refresh_from_db()  # the published title, not the previewed draft
    page.save_revision().publish()


def _unpublish(pages, page):
    page.refresh_from_db()
    page.unpublish()


def _move_elsewhere(pages, page):
    page.refresh_from_db()
    page.move(pages[2], pos="last-child")


def _reorder(pages, page):
    sibling = NewsPageFactory(parent=pages[1], slug="sibling")
    page.refresh_from_db()
    page.move(sibling, pos="right")


def _move_its_parent(pages, page):
    home, news_index, events_index = pages
    news_index.refresh_from_db()
    news_index.move(events_index, pos="last-child")


def _scheduled_go_live(pages, page):
    page.refresh_from_db()
    page.title = "Scheduled"
    page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("publish_scheduled", verbosity=0)


def _expiry(pages, page):
    NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("publish_scheduled", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        _delete_page,
        _delete_parent,
        _publish_it,
        _publish_without_the_previewed_changes,
        _unpublish,
        _move_elsewhere,
        _reorder,
        _move_its_parent,
        _scheduled_go_live,
        _expiry,
    ],
)
def test_token_dies_with_its_draft(previewed, client, change):
    pages, page, token = previewed

    change(pages, page)

    _assert_dead(client, token)
    assert _stored_previews(page.pk) == []


@pytest.mark.django_db
def test_saving_drafts_and_scheduling_keep_the_token(previewed, client):
    _pages, page, token = previewed
    page.refresh_from_db()
    page.title = "Another draft"
    page.save_revision()
    page.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(days=1))

    assert _answer(client, token)[1]["data"]["preview"]["title"] == "Draft title"


@pytest.mark.django_db
def test_a_preview_after_the_publish_works_and_the_one_before_does_not(previewed, editor_client, client):
    _pages, page, old_token = previewed
    _publish_it(None, page)
    editor_client.force_login(get_user_model().objects.get(username="editor"))

    with freeze_time(timezone.now() + datetime.timedelta(seconds=2)):  # a new token, not the same one
        new_token = _press_preview(editor_client, page, "Work after publishing")
        client.logout()
        assert _answer(client, new_token)[1]["data"]["preview"]["title"] == "Work after publishing"
        _assert_dead(client, old_token)


@pytest.mark.django_db
def test_copying_a_page_neither_retires_nor_transfers_its_token(previewed, client):
    pages, page, token = previewed
    page.refresh_from_db()
    copy = page.copy(to=pages[1], update_attrs={"slug": "story-copy", "title": "Copy"}, keep_live=True)
    copy.save_revision().publish()

    data = _answer(client, token)[1]["data"]["preview"]
    assert data["title"] == "Draft title"
    assert _stored_previews(copy.pk) == []


@pytest.mark.django_db
def test_pages_of_another_site_preview_and_pages_outside_every_site_do_not(editor_client, client):
    make_site()
    root = Page.get_first_root_node()
    other_home = StandardPageFactory(parent=root, title="Other site", slug="other-site")
    Site.objects.create(hostname="other.example.org", root_page=other_home, is_default_site=False)
    other_page = NewsPageFactory(parent=other_home, title="Other", slug="other-story")
    orphan_home = StandardPageFactory(parent=root, title="Orphans", slug="orphans")
    orphan = NewsPageFactory(parent=orphan_home, title="Orphan", slug="orphan-story")

    other_token = _press_preview(editor_client, other_page, "Other draft")
    orphan_token = _press_preview(editor_client, orphan, "Orphan draft")
    client.logout()

    assert _answer(client, other_token)[1]["data"]["preview"]["title"] == "Other draft"
    _assert_dead(client, orphan_token)


@pytest.mark.django_db
def test_rules_hold_when_the_signal_receivers_did_not_run(previewed, client):
    """A change made where api.previews' receivers are not connected (another process, a bulk
    update) leaves the stored previews in place; the token is still refused."""
    pages, page, token = previewed
    receivers = [
        (post_delete, "psg-previews-page-deleted"),
        (page_published, "psg-previews-published"),
        (page_unpublished, "psg-previews-unpublished"),
        (post_page_move, "psg-previews-moved"),
    ]
    for signal, uid in receivers:
        signal.disconnect(dispatch_uid=uid, sender=Page if signal is post_delete else None)
    try:
        with freeze_time(timezone.now() + datetime.timedelta(seconds=2)):
            _publish_it(pages, page)
        assert _stored_previews(page.pk)
        _assert_dead(client, token)

        other = NewsPageFactory(parent=pages[1], slug="other", title="Other")
        other_token = _press_preview_as_editor(client, other, "Other draft")
        _unpublish(pages, other)
        _assert_dead(client, other_token)

        third = NewsPageFactory(parent=pages[1], slug="third", title="Third")
        third_token = _press_preview_as_editor(client, third, "Third draft")
        third.move(pages[2], pos="last-child")
        _assert_dead(client, third_token)

        fourth = NewsPageFactory(parent=pages[1], slug="fourth", title="Fourth")
        fourth_token = _press_preview_as_editor(client, fourth, "Fourth draft")
        fourth.delete()
        assert _stored_previews(fourth.pk)
        _assert_dead(client, fourth_token)
    finally:
        previews.connect()


def _press_preview_as_editor(client, page, title):
    client.force_login(get_user_model().objects.get(username="editor"))
    token = _press_preview(client, page, title)
    client.logout()
    return token


@pytest.mark.django_db
def test_a_new_page_preview_dies_with_its_parent(editor_client, client):
    _home, news_index, _events = make_site()
    url = f"/admin/pages/add/news/newspage/{news_index.id}/preview/"
    form = {
        "title": "Not yet created",
        "slug": "not-yet",
        "publication_date": "2016-10-29",
        "summary": "Draft summary.",
        "body-count": "0",
        "topics": "",
        "main_image": "",
    }
    assert editor_client.post(url, form).json()["is_valid"] is True
    from urllib.parse import unquote

    token = unquote(re.search(r"token=([^\"&]+)", editor_client.get(url).content.decode()).group(1))
    editor_client.logout()
    assert token.startswith(f"parent_id={news_index.id};")
    status, payload = _answer(client, token)
    assert status == 200 and payload["data"]["preview"]["title"] == "Not yet created", payload

    news_index.delete()

    _assert_dead(client, token)
    assert not PagePreview.objects.filter(token=token).exists()
