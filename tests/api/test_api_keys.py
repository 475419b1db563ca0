"""A trusted frontend's API key: checked on every request, answered 401 when it is not valid, and never
changing an answer's bytes or letting a shared cache keep what it fetched."""

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import NewsPageFactory, make_api_key, make_site

pytestmark = pytest.mark.django_db

QUERY = "query Latest { news { items { title } pagination { totalCount } } }"


@pytest.fixture
def news_index():
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Las Bambas: the road blockade resumes")
    return news_index


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(client, query=QUERY, **extra):
    return client.get("/graphql/", {"query": query}, **extra)


def post(client, query=QUERY, **extra):
    return client.post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json", **extra
    )


@pytest.mark.parametrize("send", [get, post], ids=["GET", "POST"])
@pytest.mark.parametrize("keyed_first", [False, True], ids=["anonymous-first", "keyed-first"])
def test_a_keyed_answer_is_the_anonymous_answer_byte_for_byte(client, news_index, send, keyed_first):
    _row, key = make_api_key()
    if keyed_first:
        keyed, anonymous = send(client, **bearer(key)), send(client)
    else:
        anonymous, keyed = send(client), send(client, **bearer(key))
    assert anonymous.status_code == keyed.status_code == 200
    assert keyed.content == anonymous.content
    # One cache entry serves both: the key is no part of what is kept.
    assert {anonymous["X-Cache"], keyed["X-Cache"]} == {"miss", "hit"}
    assert keyed.get("ETag") == anonymous.get("ETag")


def test_the_same_bytes_without_the_response_cache(client, settings, news_index):
    settings.GRAPHQL_RESPONSE_CACHE = False
    _row, key = make_api_key()
    assert get(client, **bearer(key)).content == get(client).content


def test_keyed_answers_are_kept_by_no_shared_cache(client, news_index):
    _row, key = make_api_key()
    anonymous = get(client)
    assert anonymous["Cache-Control"].startswith("public, ")
    for response in (get(client, **bearer(key)), post(client, **bearer(key))):
        directives = [part.strip() for part in response["Cache-Control"].split(",")]
        assert "private" in directives and "public" not in directives
    # A revalidation with the key is answered 304, private too.
    not_modified = get(client, HTTP_IF_NONE_MATCH=anonymous["ETag"], **bearer(key))
    assert not_modified.status_code == 304
    assert "private" in not_modified["Cache-Control"] and "public" not in not_modified["Cache-Control"]
    # And nothing of the keyed request changed what anonymous readers get.
    assert get(client)["Cache-Control"] == anonymous["Cache-Control"]


def test_other_views_answer_a_key_privately_too(client, news_index):
    _row, key = make_api_key()
    feed = client.get("/feeds/news.json", **bearer(key))
    assert feed.status_code == 200
    assert "private" in feed["Cache-Control"] and "public" not in feed["Cache-Control"]
    assert feed.content == client.get("/feeds/news.json").content


def _refused(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "no-store"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_API_KEY"
    return error


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer psg_0123abcd_" + "A" * 43,  # well formed, never issued
        "Bearer psg_0123abcd",  # the prefix shown in the admin, not the key
        "Bearer not-a-key",
        "Bearer ",
        "bearer psg_0123abcd_" + "A" * 43,  # the scheme is case-insensitive
    ],
)
def test_a_key_that_is_not_valid_is_refused_never_ignored(client, news_index, authorization):
    _refused(get(client, HTTP_AUTHORIZATION=authorization))
    _refused(post(client, HTTP_AUTHORIZATION=authorization))


@pytest.mark.parametrize("spelling", ["{key}", "Token {key}", "Basic {key}"])
def test_a_real_key_sent_without_bearer_is_refused(client, news_index, spelling):
    _row, key = make_api_key()
    error = _refused(get(client, HTTP_AUTHORIZATION=spelling.format(key=key)))
    assert "Authorization: Bearer" in error["message"]


def test_a_revoked_key_gets_the_answer_of_an_unknown_one(client, news_index):
    row, key = make_api_key()
    assert get(client, **bearer(key)).status_code == 200  # its grant is now cached
    row.revoked_at = timezone.now()
    row.save()
    revoked = get(client, **bearer(key))
    unknown = get(client, **bearer("psg_0123abcd_" + "A" * 43))
    assert _refused(revoked) == _refused(unknown)
    assert revoked.content == unknown.content


def test_a_deleted_key_is_refused_at_once(client, news_index):
    row, key = make_api_key()
    assert get(client, **bearer(key)).status_code == 200
    row.delete()
    _refused(get(client, **bearer(key)))


def test_a_database_outage_while_checking_a_key_is_503_not_401(news_index, monkeypatch):
    _row, key = make_api_key()

    def down():
        raise OperationalError("connection to server at 10.1.2.3, port 5432 failed")

    monkeypatch.setattr("api.api_keys._model", down)
    response = get(Client(raise_request_exception=False), **bearer(key))
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def test_a_cache_outage_costs_a_query_never_the_check(client, news_index, monkeypatch):
    class DownCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to redis")

        add = set = delete = get

    row, key = make_api_key()
    monkeypatch.setattr("api.api_keys.cache", DownCache())
    assert get(client, **bearer(key)).status_code == 200
    row.revoked_at = timezone.now()
    row.save()
    _refused(get(client, **bearer(key)))


def test_other_authorization_schemes_are_not_keys(client, news_index):
    # A proxy's Basic authentication in front of a staging CMS: anonymous, and not cached, as ever.
    response = get(client, HTTP_AUTHORIZATION="Basic cHJveHk6c2VjcmV0")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.content == get(client).content


def test_keys_are_checked_with_rate_limiting_off(client, settings, news_index):
    settings.RATE_LIMIT_ENABLED = False
    _row, key = make_api_key()
    _refused(get(client, **bearer("psg_0123abcd_" + "A" * 43)))
    keyed = get(client, **bearer(key))
    assert keyed.status_code == 200 and "private" in keyed["Cache-Control"]


def _key_queries(captured):
    return [query["sql"].split()[0] for query in captured if "api_apikey" in query["sql"]]


def test_last_use_is_written_at_most_once_a_minute(client, news_index):
    row, key = make_api_key()
    with freeze_time("2026-11-30 10:00:00") as frozen:
        get(client)  # the answer is cached: what follows is the key's cost alone
        with CaptureQueriesContext(connection) as first:
            get(client, **bearer(key))
        assert _key_queries(first) == ["SELECT", "UPDATE"]
        row.refresh_from_db()
        assert row.last_used_at == timezone.now()

        frozen.tick(30)
        with CaptureQueriesContext(connection) as busy:
            for _ in range(100):
                assert get(client, **bearer(key)).status_code == 200
        assert len(busy.captured_queries) == 0
        row.refresh_from_db()
        assert row.last_used_at == timezone.now() - timezone.timedelta(seconds=30)

        frozen.tick(31)
        with CaptureQueriesContext(connection) as later:
            get(client, **bearer(key))
        assert _key_queries(later) == ["SELECT", "UPDATE"]
        row.refresh_from_db()
        assert row.last_used_at == timezone.now()


def test_only_a_digest_of_the_key_is_stored(news_index):
    row, key = make_api_key()
    stored = " ".join(str(value) for value in row.__dict__.values())
    assert key not in stored
    assert key[len("psg_") :] not in stored
    assert row.prefix == key[:12] and key.startswith(row.prefix + "_")
    # 256 random bits after the prefix: 43 characters of base64url.
    assert len(key) == len(row.prefix) + 1 + 43
