"""Anonymous API traffic is limited per client address; staff and other paths are not."""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings

from cms import ratelimit

# The view may read the database (caches, visibility), so every test may too.
pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 60
    settings.RATE_LIMIT_PATHS = ["/graphql/", "/feeds/", "/embed/"]
    settings.TRUSTED_PROXIES = []


def ask(client, **extra):
    return client.post("/graphql/", data=QUERY, content_type="application/json", **extra)


def statuses(client, times, **extra):
    return [ask(client, **extra).status_code for _ in range(times)]


def test_over_the_limit_is_429_with_retry_after_and_code(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    assert statuses(client, 3) == [200, 200, 200]
    response = ask(client, HTTP_ORIGIN="https://frontend.test")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 1 <= int(response["Retry-After"]) <= 60
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("Too many requests")
    # Placed after CorsMiddleware: the browser can read the 429.
    assert response["Access-Control-Allow-Origin"] == "https://frontend.test"


def test_addresses_are_counted_separately(client):
    assert statuses(client, 4, REMOTE_ADDR="198.51.100.1") == [200, 200, 200, 429]
    assert statuses(client, 3, REMOTE_ADDR="198.51.100.2") == [200, 200, 200]


def test_ipv6_clients_are_counted_per_64(client):
    assert statuses(client, 3, REMOTE_ADDR="2001:db8:1:2::1") == [200, 200, 200]
    assert ask(client, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert ask(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_forwarded_for_is_ignored_from_an_untrusted_address(client):
    codes = [
        ask(client, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client can write anything left of what our proxy appended; that changes nothing.
    codes = [
        ask(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert ask(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.1", "", "198.51.100.1"),
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),  # not a trusted proxy
        ("10.0.0.5", "", "10.0.0.5"),  # trusted proxy, no header: the proxy itself
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),  # proxy chain skipped
        ("10.0.0.5", "10.0.0.6, 10.0.0.7", "10.0.0.5"),  # only proxies: count the nearest one
        ("10.0.0.5", "203.0.113.9, not-an-ip", "10.0.0.5"),  # garbage: do not guess
        ("192.0.2.7", " 2001:db8::1 ", "2001:db8::1"),  # single address entry, IPv6 client
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    request = RequestFactory().get("/graphql/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


def test_staff_are_exempt_and_other_users_are_not(client):
    user_model = get_user_model()
    client.force_login(user_model.objects.create_user("editor", password="pw", is_staff=True))
    assert set(statuses(client, 5)) == {200}
    client.force_login(user_model.objects.create_user("member", password="pw"))
    assert statuses(client, 5)[-1] == 429


def test_other_paths_and_disabled_limit_are_not_counted(client, settings):
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}
    settings.RATE_LIMIT_ENABLED = False
    assert set(statuses(client, 5)) == {200}


def test_cache_outage_lets_traffic_through(client, monkeypatch):
    class DownCache:
        def add(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to redis")

        incr = add

    monkeypatch.setattr(ratelimit, "cache", DownCache())
    assert set(statuses(client, 5)) == {200}


def test_counter_is_shared_through_redis(client):
    redis = pytest.importorskip("redis")
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"psgtest-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=caches):
            assert statuses(client, 2, REMOTE_ADDR="198.51.100.7") == [200, 200]
            (key,) = raw.keys(f"{prefix}:*198.51.100.7")
            assert int(raw.get(key)) == 2  # a plain Redis integer, INCR-ed atomically
            # Another worker's requests land on the same counter.
            raw.incr(key)
            assert statuses(client, 1, REMOTE_ADDR="198.51.100.7") == [429]
            assert 0 < raw.ttl(key) <= 61
    finally:
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)
