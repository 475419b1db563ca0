"""api.cache.RedisCache: Django's Redis cache, reusing one client instead of building one per call."""

import uuid

import pytest

from api.cache import RedisCache


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    prefix = f"psgtest-{uuid.uuid4().hex[:8]}"
    yield RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": prefix})
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)


def test_many_calls_build_one_client(redis_cache, monkeypatch):
    import redis

    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    redis_cache.set("a", {"x": 1})
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("n", 0) is True
    assert redis_cache.incr("n") == 1
    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"x": 1}, "n": 1}
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
    assert len(built) == 1
