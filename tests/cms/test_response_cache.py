"""Anonymous answers are served from the cache until content changes, and never stale."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db

QUERY = "{ news { items { title } pagination { totalCount } } }"


def post(client, query=QUERY, **extra):
    return client.post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json", **extra
    )


def titles(response):
    return [item["title"] for item in response.json()["data"]["news"]["items"]]


@pytest.fixture
def news_index():
    _home, news_index, _events = make_site()
    return news_index


def test_second_request_is_a_hit_with_no_sql(client, news_index):
    NewsPageFactory(parent=news_index, title="First")
    assert post(client)["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        response = post(client)
    assert response["X-Cache"] == "hit"
    assert titles(response) == ["First"]
    assert len(captured.captured_queries) == 0


def test_whitespace_does_not_change_the_key(client, news_index):
    post(client)
    assert post(client, QUERY.replace(" ", "  \n "))["X-Cache"] == "hit"


def test_publish_is_visible_on_the_very_next_request(client, news_index):
    page = NewsPageFactory(parent=news_index, title="First")
    post(client)
    page.title = "First, corrected"
    page.save_revision().publish()
    response = post(client)
    assert response["X-Cache"] == "miss"
    assert titles(response) == ["First, corrected"]


def test_unpublish_and_delete_are_visible_at_once(client, news_index):
    page = NewsPageFactory(parent=news_index, title="Soon gone")
    other = NewsPageFactory(parent=news_index, title="Also gone")
    assert len(titles(post(client))) == 2
    page.unpublish()
    assert titles(post(client)) == ["Also gone"]
    other.delete()
    assert titles(post(client)) == []


def test_drafts_do_not_change_the_answer(client, news_index):
    page = NewsPageFactory(parent=news_index, title="Published")
    post(client)
    page.title = "Draft title"
    page.save_revision()
    response = post(client)
    assert titles(response) == ["Published"]
    # A draft is not a content change: the cached answer stays (no needless invalidation).
    assert response["X-Cache"] == "hit"


def test_http_and_https_are_kept_apart(client, news_index):
    # Image and document URLs are absolute: an answer made for https must not go to http.
    NewsPageFactory(parent=news_index, title="Secure")
    assert post(client, secure=True)["X-Cache"] == "miss"
    assert post(client)["X-Cache"] == "miss"
    assert post(client, secure=True)["X-Cache"] == "hit"


def test_expiry_is_honoured_without_publish_scheduled(client, news_index):
    page = NewsPageFactory(parent=news_index, title="Expiring")
    soon = timezone.now() + datetime.timedelta(seconds=2)
    type(page).objects.filter(pk=page.pk).update(expire_at=soon)  # as if set long ago: no signal
    from cms.graphql.response_cache import bump_generation

    bump_generation()
    assert titles(post(client)) == ["Expiring"]
    from freezegun import freeze_time

    with freeze_time(soon + datetime.timedelta(seconds=1)):
        assert titles(post(client)) == []


def test_signed_in_requests_and_preview_are_never_cached(client, news_index, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    assert "X-Cache" not in post(client)
    response = post(client, '{ preview(token: "nope") { title } }')
    assert response["Cache-Control"] == "no-store"


def test_get_answers_are_cacheable_with_etag_and_304(client, news_index):
    StandardPageFactory(parent=news_index.get_parent(), title="Aims")
    response = client.get("/graphql/", {"query": QUERY})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=60")
    assert "stale-while-revalidate" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get("/graphql/", {"query": QUERY}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_errors_are_not_cached(client, news_index):
    bad = "{ news(page: 0) { items { title } } }"
    assert post(client, bad).status_code == 400
    assert "X-Cache" not in post(client, bad)


def test_an_event_ending_leaves_the_cached_upcoming_list_at_once(client, news_index):
    from freezegun import freeze_time

    from tests.factories import EventPageFactory

    events_index = news_index.get_parent().get_children().get(slug="events").specific
    now = timezone.now()
    EventPageFactory(
        parent=events_index,
        title="Ending soon",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(seconds=2),
    )
    query = "{ events { items { title } } }"
    first = post(client, query)
    assert [item["title"] for item in first.json()["data"]["events"]["items"]] == ["Ending soon"]
    assert post(client, query)["X-Cache"] == "hit"
    with freeze_time(now + datetime.timedelta(seconds=3)):
        assert post(client, query).json()["data"]["events"]["items"] == []
