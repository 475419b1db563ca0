"""Rate-limit counters live apart from cached answers: filling the cache cannot reset a client's count."""

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})


def start_redis(directory: Path, name: str, policy: str) -> tuple[subprocess.Popen, str]:
    socket = directory / f"{name}.sock"
    process = subprocess.Popen(  # noqa: S603
        [
            shutil.which("redis-server"),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "2mb",
            "--maxmemory-policy",
            policy,
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail(f"redis-server did not start on {socket}")
    return process, f"unix://{socket}"


@pytest.fixture
def two_redis():
    """A small cache Redis that evicts (allkeys-lru) and a state Redis that never does."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    pytest.importorskip("redis")
    directory = Path(tempfile.mkdtemp(prefix="psg-redis-", dir="/tmp"))  # socket paths must be short
    started = []
    try:
        started.append(start_redis(directory, "cache", "allkeys-lru"))
        started.append(start_redis(directory, "state", "noeviction"))
        yield started[0][1], started[1][1]
    finally:
        for process, _url in started:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def redis_caches(cache_url: str, state_url: str) -> dict:
    return {
        "default": {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": cache_url,
            "KEY_PREFIX": "psg",
        },
        "state": {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": state_url,
            "KEY_PREFIX": "psg-state",
        },
    }


def ask(client):
    return client.post("/graphql/", data=QUERY, content_type="application/json").status_code


def flood_the_cache():
    """What a cache under pressure sees: far more answers than fit (20 MB into 2 MB)."""
    backend = caches["default"]
    for n in range(200):
        backend.set_many({f"graphql:response:flood:{n}:{i}": "x" * 10_000 for i in range(10)}, timeout=600)


def evictions(url: str) -> int:
    import redis

    return redis.Redis.from_url(url).info("stats")["evicted_keys"]


@pytest.mark.parametrize("shared", [False, True], ids=["separate-state", "one-redis-for-both"])
def test_filling_the_cache_does_not_reset_a_clients_counter(client, settings, two_redis, shared):
    cache_url, state_url = two_redis
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 3600
    with override_settings(CACHES=redis_caches(cache_url, cache_url if shared else state_url)):
        with freeze_time(timezone.now()):
            assert [ask(client), ask(client)] == [200, 200]
            flood_the_cache()
            assert evictions(cache_url) > 0
            codes = [ask(client), ask(client)]
        for alias in ("default", "state"):
            caches[alias].close()
    if shared:
        # What the separate store prevents: with the counters among the answers, the flood
        # evicted them and the client starts over.
        assert codes == [200, 200]
    else:
        assert codes == [200, 429]
        assert evictions(state_url) == 0
