"""What cms/internals/django_redis.py relies on in Django's Redis cache backend still holds."""

import inspect
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

from cms.internals.django_redis import RedisCache, RedisCacheClient, redis_client

URL = "redis://127.0.0.1:6379/15"


def test_the_backend_instantiates_the_client_class_it_holds_in__class():
    backend = DjangoRedisCache(URL, {"OPTIONS": {"socket_timeout": 2}})
    assert backend._class is DjangoRedisCacheClient

    class Probe(DjangoRedisCacheClient):
        pass

    backend._class = Probe
    assert type(backend._cache) is Probe
    assert type(RedisCache(URL, {})._cache) is RedisCacheClient


def test_get_connection_pool_takes_write_and_is_the_pool_django_uses():
    assert list(inspect.signature(DjangoRedisCacheClient._get_connection_pool).parameters) == [
        "self",
        "write",
    ]
    client = DjangoRedisCacheClient([URL])
    pool = client._get_connection_pool(True)
    assert isinstance(pool, redis.ConnectionPool)
    # One pool per server, kept: the clients built over it are kept per pool.
    assert client._get_connection_pool(True) is pool and client._get_connection_pool(False) is pool
    assert client.get_client(write=True).connection_pool is pool


def test_django_still_builds_a_client_per_call():
    """When this fails, Django keeps its clients itself and RedisCacheClient can go."""
    client = DjangoRedisCacheClient([URL])
    assert client.get_client() is not client.get_client()
    ours = RedisCacheClient([URL])
    assert ours.get_client() is ours.get_client(write=True)


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    raw = redis.Redis.from_url(URL)
    prefix = f"psgtest-{uuid.uuid4().hex[:8]}"
    yield RedisCache(URL, {"KEY_PREFIX": prefix})
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)


def test_many_calls_build_one_client(redis_cache, monkeypatch):
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


def test_the_raw_client_writes_what_the_cache_reads(redis_cache):
    # The rate limits INCRBY through the raw client and may read the count through the cache: Django
    # must keep storing integers as plain Redis integers, under make_and_validate_key's keys.
    key = redis_cache.make_and_validate_key("count")
    assert redis_client(redis_cache).incrby(key, 5) == 5
    assert redis_cache.get("count") == 5
    assert redis_cache.incr("count", 2) == 7


def test_the_event_loop_reads_what_the_cache_wrote(redis_cache):
    """async_redis_client, mget and decode rely on `_servers`, `_pool_options` (with a synchronous
    `parser_class` to leave out) and `_serializer`."""
    import asyncio

    from cms.internals.django_redis import async_redis_client, decode, mget

    assert isinstance(redis_cache._cache._pool_options.get("parser_class"), type)
    redis_cache.set("answer", ("generation", 1.5, b"body"))
    redis_cache.set("count", 7)
    keys = [redis_cache.make_and_validate_key(name) for name in ("answer", "count", "missing")]

    async def read():
        client = async_redis_client(redis_cache)
        assert async_redis_client(redis_cache) is client  # one per loop and cache
        return await mget(client, keys)

    values = asyncio.run(read())
    assert [decode(redis_cache, value) for value in values] == [("generation", 1.5, b"body"), 7, None]


def test_mget_reuses_its_connections_and_replaces_those_the_server_closed(redis_cache):
    """mget keeps its own connections (made by the pool's `make_connection`): lookups one after
    another use one, lookups at once one each, and when the server has closed them (a restart)
    the next lookup still answers, on one new connection."""
    import asyncio

    from cms.internals.django_redis import async_redis_client, mget

    redis_cache.set("answer", 42)
    key = redis_cache.make_and_validate_key("answer")
    admin = redis.Redis.from_url(URL)

    def clients_named(name):
        return [c for c in admin.client_list() if c.get("name") == name]

    async def scenario(name):
        client = async_redis_client(redis_cache)
        client.connection_pool.connection_kwargs["client_name"] = name
        for _ in range(5):
            assert await mget(client, [key]) == [b"42"]
        after_sequence = len(clients_named(name))
        await asyncio.gather(*(mget(client, [key]) for _ in range(3)))
        after_burst = len(clients_named(name))
        for entry in clients_named(name):
            admin.client_kill_filter(_id=entry["id"])
        recovered = [await mget(client, [key]) for _ in range(3)]
        return after_sequence, after_burst, recovered, len(clients_named(name))

    name = f"mget-{uuid.uuid4().hex[:8]}"
    after_sequence, after_burst, recovered, after_restart = asyncio.run(scenario(name))
    assert after_sequence == 1
    assert after_burst == 3
    assert recovered == [[b"42"]] * 3
    assert after_restart == 1
