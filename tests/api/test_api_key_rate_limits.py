"""A trusted frontend's key has its own rate limit, or none: a static build finishes, and anonymous
clients on the same address keep theirs."""

import json
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from api.graphql import view
from tests.factories import NewsPageFactory, make_api_key, make_site

pytestmark = pytest.mark.django_db

PAGE = "query Page($path: String!) { page(path: $path) { title } }"
REDIS_DB = "redis://127.0.0.1:6379/9"


@pytest.fixture(autouse=True)
def _one_window(settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_WINDOW = 60
    settings.TRUSTED_PROXIES = []
    # One moment for the whole test, so a fixed window cannot turn over between its requests.
    with freeze_time(timezone.now()):
        yield


@pytest.fixture
def paths():
    _home, news_index, _events = make_site()
    items = [NewsPageFactory(parent=news_index, title=f"News item {n}") for n in range(20)]
    return [item.url_path.removeprefix("/psg-home") for item in items]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def fetch(client, path="/", **extra):
    return client.get("/graphql/", {"query": PAGE, "variables": json.dumps({"path": path})}, **extra)


def test_a_build_of_2000_requests_in_a_minute_with_a_key_gets_no_429(client, settings, paths):
    settings.RATE_LIMIT_REQUESTS = 300
    _row, key = make_api_key("Static build")
    anonymous = [fetch(client, paths[n % len(paths)]).status_code for n in range(301)]
    assert anonymous == [200] * 300 + [429]

    built = [fetch(client, paths[n % len(paths)], **bearer(key)) for n in range(2000)]
    assert {response.status_code for response in built} == {200}
    assert {response.json()["data"]["page"]["title"] for response in built} == {
        f"News item {n}" for n in range(20)
    }
    # The address is still over its own limit: the key moved none of its requests there or back.
    assert fetch(client, paths[0]).status_code == 429


def test_a_keys_own_limit_is_counted_for_the_key_alone(client, settings, paths):
    settings.RATE_LIMIT_REQUESTS = 5
    _limited, limited_key = make_api_key("Preview server", rate_limit=3)
    _other, other_key = make_api_key("Static build")
    codes = [fetch(client, paths[0], **bearer(limited_key)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = fetch(client, paths[0], **bearer(limited_key))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    (error,) = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "at most 3 every 60 seconds" in error["message"]
    # The same address, anonymous or with another key, counted apart.
    assert [fetch(client, paths[0]).status_code for _ in range(5)] == [200] * 5
    assert fetch(client, paths[0]).status_code == 429
    assert fetch(client, paths[0], **bearer(other_key)).status_code == 200


def test_a_key_that_is_not_valid_counts_against_its_address(client, settings, paths):
    # Guessing keys costs rate limit like any request; a valid key is still served.
    settings.RATE_LIMIT_REQUESTS = 3
    _row, key = make_api_key()
    guess = bearer("psg_0123abcd_" + "A" * 43)
    assert [fetch(client, **guess).status_code for _ in range(4)] == [401, 401, 401, 429]
    assert fetch(client).status_code == 429
    assert fetch(client, **bearer(key)).status_code == 200


def test_costly_answers_are_charged_to_the_key(client, settings, paths, monkeypatch):
    settings.RATE_LIMIT_REQUESTS = 4
    settings.RATE_LIMIT_CPU_MS_PER_REQUEST = 200
    clock = {"now": 0.0, "reading": 0}

    def cpu_clock():
        # Readings come in pairs (before and after an answer): each answer takes 0.9 s, four more
        # shares than the first, five requests' worth.
        clock["reading"] += 1
        if clock["reading"] % 2 == 0:
            clock["now"] += 0.9
        return clock["now"]

    monkeypatch.setattr(view, "_cpu_clock", cpu_clock)
    _limited, limited_key = make_api_key(rate_limit=10)
    _unlimited, unlimited_key = make_api_key()
    distinct = [json.dumps({"path": path}) for path in paths]

    def costly(n, **extra):
        return client.get("/graphql/", {"query": PAGE, "variables": distinct[n]}, **extra).status_code

    assert [costly(n, **bearer(limited_key)) for n in range(3)] == [200, 200, 429]
    assert [costly(n, **bearer(unlimited_key)) for n in range(3, 13)] == [200] * 10
    # None of it was charged to the address, whose limit is 4.
    assert costly(13) == 200


def test_the_keys_counter_is_shared_through_redis(client, settings, paths):
    redis = pytest.importorskip("redis")
    raw = redis.Redis.from_url(REDIS_DB)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"psgtest-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "state": {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": REDIS_DB,
            "KEY_PREFIX": prefix,
        },
    }
    row, key = make_api_key(rate_limit=5)
    try:
        with override_settings(CACHES=caches):
            assert [fetch(client, paths[0], **bearer(key)).status_code for _ in range(2)] == [200, 200]
            (counter,) = raw.keys(f"{prefix}:*ratelimit:key:*")
            assert counter.decode().endswith(row.digest)
            assert int(raw.get(counter)) == 2
            # Nothing counted against the address.
            assert raw.keys(f"{prefix}:*ratelimit:api:*") == []
    finally:
        for stale in raw.keys(f"{prefix}:*"):
            raw.delete(stale)
