"""Anonymous answers are served from the cache until content changes, and never stale."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.graphql import response_cache
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


def test_a_miss_works_its_key_out_once(client, news_index, monkeypatch):
    worked_out = []
    original = response_cache._work_out_key

    def counting(request, params):
        worked_out.append(params)
        return original(request, params)

    monkeypatch.setattr(response_cache, "_work_out_key", counting)
    assert post(client)["X-Cache"] == "miss"  # looked up, then stored: one key
    assert len(worked_out) == 1
    assert post(client)["X-Cache"] == "hit"


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
    from cms.generation import bump_generation

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


# --- Keys hold only what changes the answer; what one client adds is bounded ----------------------

PAGED = "query News($page: Int = 1, $size: Int) { news(page: $page, pageSize: $size) { items { title } } }"


def post_body(client, body, **extra):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json", **extra)


def response_keys():
    from django.core.cache import caches

    return [key for key in caches["default"]._cache if "graphql:response:" in key]


def test_an_undeclared_variable_does_not_make_a_new_entry(client, news_index):
    NewsPageFactory(parent=news_index, title="First")
    assert post_body(client, {"query": PAGED, "variables": {"size": 5}})["X-Cache"] == "miss"
    for n in range(5):
        again = post_body(client, {"query": PAGED, "variables": {"size": 5, f"unused{n}": n}})
        assert again["X-Cache"] == "hit"
        assert [item["title"] for item in again.json()["data"]["news"]["items"]] == ["First"]
    assert len(response_keys()) == 1


def test_a_declared_variable_is_keyed_by_its_value(client, news_index):
    assert post_body(client, {"query": PAGED, "variables": {"size": 5}})["X-Cache"] == "miss"
    assert post_body(client, {"query": PAGED, "variables": {"size": 6}})["X-Cache"] == "miss"
    # Left out and explicitly null are different requests for graphql-core: kept apart.
    assert post_body(client, {"query": PAGED})["X-Cache"] == "miss"
    assert post_body(client, {"query": PAGED, "variables": {"size": None}})["X-Cache"] == "miss"
    assert len(response_keys()) == 4


def test_a_variable_left_to_its_default_is_the_same_entry_as_the_default_sent(client, news_index):
    assert post_body(client, {"query": PAGED, "variables": {"size": 5}})["X-Cache"] == "miss"
    assert post_body(client, {"query": PAGED, "variables": {"size": 5, "page": 1}})["X-Cache"] == "hit"


def test_the_operation_name_is_normalised(client, news_index):
    assert post_body(client, {"query": PAGED})["X-Cache"] == "miss"
    assert post_body(client, {"query": PAGED, "operationName": "News"})["X-Cache"] == "hit"
    assert post_body(client, {"query": PAGED, "operationName": None})["X-Cache"] == "hit"
    by_get = client.get("/graphql/", {"query": PAGED, "operationName": "News", "variables": '{"x": 1}'})
    assert by_get["X-Cache"] == "hit"


def test_each_operation_of_a_document_is_its_own_entry(client, news_index):
    NewsPageFactory(parent=news_index, title="First")
    document = "query A { news { items { title } } } query B { newsTopics { slug } }"
    a = post_body(client, {"query": document, "operationName": "A"})
    b = post_body(client, {"query": document, "operationName": "B"})
    assert a["X-Cache"] == b["X-Cache"] == "miss"
    assert "news" in a.json()["data"] and "newsTopics" in b.json()["data"]
    assert post_body(client, {"query": document, "operationName": "B"}).json() == b.json()
    # No operation chosen in a two-operation document: an error, never kept.
    assert post_body(client, {"query": document}).status_code == 400
    assert len(response_keys()) == 2


def test_an_answer_over_the_size_cap_is_sent_but_not_kept(client, news_index, settings):
    NewsPageFactory(parent=news_index, title="First")
    full = post(client)
    settings.GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES = len(full.content) - 1
    from django.core.cache import caches

    caches["default"].clear()
    for _ in range(2):
        response = post(client)
        assert response.status_code == 200 and response.content == full.content
        assert response["X-Cache"] == "miss"
    assert response_keys() == []
    settings.GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES = len(full.content)
    post(client)
    assert post(client)["X-Cache"] == "hit"


def test_one_client_adds_a_bounded_number_of_entries_per_window(client, news_index, settings):
    from freezegun import freeze_time

    settings.GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES = 3
    settings.RATE_LIMIT_WINDOW = 60
    with freeze_time(timezone.now()) as clock:
        answers = [post_body(client, {"query": PAGED, "variables": {"size": n}}) for n in range(1, 7)]
        assert [a.status_code for a in answers] == [200] * 6
        assert len(response_keys()) == 3
        # Past the budget answers are served, not kept; the first three are.
        again = [post_body(client, {"query": PAGED, "variables": {"size": n}}) for n in range(1, 7)]
        assert [a["X-Cache"] for a in again] == ["hit", "hit", "hit", "miss", "miss", "miss"]
        # Another client has its own budget.
        other = post_body(client, {"query": PAGED, "variables": {"size": 4}}, REMOTE_ADDR="198.51.100.9")
        assert other["X-Cache"] == "miss"
        assert len(response_keys()) == 4
        # A new window, a new budget.
        clock.tick(60)
        post_body(client, {"query": PAGED, "variables": {"size": 5}})
        assert len(response_keys()) == 5


@pytest.mark.parametrize(
    "query",
    [
        "{ news { items",
        "{" + "a{" * 600 + "b" + "}" * 601,
        "query A { news { items { title } } } query A { x }",
    ],
    ids=["syntax-error", "deep-nesting", "duplicate-operation"],
)
def test_a_query_that_names_no_operation_is_answered_400_and_never_kept(client, news_index, query):
    for _ in range(2):
        response = post_body(client, {"query": query, "variables": {"x": 1}})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"]
    assert response_keys() == []
