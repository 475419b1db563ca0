import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from freezegun import freeze_time

from tests.factories import NewsPageFactory, make_site

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
