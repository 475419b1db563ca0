"""`make serve`'s server with Redis, as production runs it: cached GraphQL answers (replayed from
its event loop, api/graphql/fast_path.py `replay_in_event_loop`; tests/api/test_fast_path_event_loop.py
shows no thread is taken) are counted by the rate limit and never staler than the content generation."""

import json
import pickle
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import redis

from tests.ops.conftest import ProductionServer, free_port, production_env

REDIS_URL = "redis://127.0.0.1:6379/12"
PATH = "/graphql/?" + urllib.parse.urlencode({"query": "{ siteSettings { organisationName } }"})


@pytest.fixture(scope="module")
def redis_db():
    raw = redis.Redis.from_url(REDIS_URL)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    raw.flushdb()
    yield raw
    raw.flushdb()


@pytest.fixture(scope="module")
def server(served_database_url, redis_db, tmp_path_factory):
    env = production_env(
        DATABASE_URL=served_database_url,
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",
        REDIS_URL=REDIS_URL,
        STATE_REDIS_URL=REDIS_URL,
        RATE_LIMIT_REQUESTS="5",
        RATE_LIMIT_WINDOW="3600",
    )
    with ProductionServer(env, tmp_path_factory.mktemp("replay") / "server.log") as running:
        yield running


def get(server, source_headers=None):
    request = urllib.request.Request(server.base + PATH, headers=source_headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.django_db
def test_replays_from_the_event_loop_follow_the_generation_and_the_rate_limit(server, redis_db):
    first = get(server)
    assert first[0] == 200 and first[1]["X-Cache"] == "miss"
    second = get(server)
    assert second[0] == 200 and second[1]["X-Cache"] == "hit" and second[2] == first[2]
    assert json.loads(second[2])["data"]["siteSettings"] is not None
    # A content change: what bump_generation writes (Django's key for "graphql:generation").
    (key,) = list(redis_db.scan_iter("*graphql:generation"))
    redis_db.set(key, pickle.dumps(uuid.uuid4().hex))
    assert get(server)[1]["X-Cache"] == "miss"
    assert get(server)[1]["X-Cache"] == "hit"
    # Five requests from this address, replays included, then the sixth is refused.
    assert get(server)[1]["X-Cache"] == "hit"
    refused = get(server)
    assert refused[0] == 429 and json.loads(refused[2])["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
