"""API keys before Django: the fast path never replays a keyed request, and the server's front never
refuses one for what its address did."""

import json

import pytest
from django.utils import timezone
from freezegun import freeze_time

from api import ratelimit
from tests.api.test_fast_path import _keep_the_test_transaction, call, environ  # noqa: F401 (fixture)
from tests.factories import NewsPageFactory, make_api_key, make_site

pytestmark = pytest.mark.django_db

QUERY = "{ news { items { title } } }"


@pytest.fixture(autouse=True)
def _one_window():
    with freeze_time(timezone.now()):
        yield


@pytest.fixture
def news():
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Las Bambas: the road blockade resumes")


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_keyed_requests_are_never_replayed_and_count_on_the_key(news):
    _row, key = make_api_key(rate_limit=2)
    call(environ("GET", QUERY))
    replayed = call(environ("GET", QUERY))
    assert not replayed.through_django

    keyed = [call(environ("GET", QUERY, **bearer(key))) for _ in range(3)]
    assert all(answer.through_django for answer in keyed)
    assert [answer.status_code for answer in keyed] == [200, 200, 429]
    assert keyed[0].body == replayed.body
    assert "private" in keyed[0].headers["Cache-Control"]
    assert "public" not in keyed[0].headers["Cache-Control"]
    # The key's excess is its own: the same address is still replayed to.
    again = call(environ("GET", QUERY))
    assert not again.through_django and again.status_code == 200
    assert "private" not in again.headers["Cache-Control"]


def test_a_key_that_is_not_valid_is_refused_through_the_fast_path(news):
    call(environ("GET", QUERY))
    answer = call(environ("GET", QUERY, **bearer("psg_0123abcd_" + "A" * 43)))
    assert answer.through_django and answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "INVALID_API_KEY"


def post(client, **extra):
    return client.post(
        "/graphql/", data=json.dumps({"query": QUERY}), content_type="application/json", **extra
    )


def test_the_servers_shortcut_never_holds_an_address_against_a_key(client, settings, news):
    settings.RATE_LIMIT_REQUESTS = 2
    _limited, limited_key = make_api_key(rate_limit=1)
    _other, other_key = make_api_key()
    request = {"REQUEST_METHOD": "POST", "PATH_INFO": "/graphql/", "REMOTE_ADDR": "127.0.0.1"}

    assert [post(client).status_code for _ in range(3)] == [200, 200, 429]
    assert ratelimit.refuse_known_over_limit(request)[0] == 429
    # The address is known to be over its limit; its keyed requests are Django's to judge.
    assert ratelimit.refuse_known_over_limit({**request, **bearer(other_key)}) is None
    assert ratelimit.refuse_known_over_limit({**request, **bearer(limited_key)}) is None
    assert post(client, **bearer(other_key)).status_code == 200

    assert [post(client, **bearer(limited_key)).status_code for _ in range(2)] == [200, 429]
    django = post(client, **bearer(limited_key))
    status, headers, body = ratelimit.refuse_known_over_limit({**request, **bearer(limited_key)})
    assert status == django.status_code == 429
    assert json.loads(body) == django.json()
    assert "at most 1 every" in json.loads(body)["errors"][0]["message"]
    assert dict(headers)["Retry-After"] == django["Retry-After"]
    # Another key, or a key not valid (Django answers 401, or 429 for its address), is not refused here.
    assert ratelimit.refuse_known_over_limit({**request, **bearer(other_key)}) is None
    assert ratelimit.refuse_known_over_limit({**request, **bearer("psg_0123abcd_" + "A" * 43)}) is None
    # Nor is another address.
    assert ratelimit.refuse_known_over_limit({**request, "REMOTE_ADDR": "198.51.100.9"}) is None
