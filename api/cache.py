"""Django's Redis cache, with one Redis client per connection pool instead of one per command, and
the "state" alias that keeps what must not be evicted apart from cached answers.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call, and
redis-py's constructor is not cheap (it rebuilds its table of response callbacks each time): on a
busy API answer that was a measurable share of the CPU. A client over a pool is thread-safe, so
each pool keeps one.
"""

from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

if TYPE_CHECKING:
    import redis


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


# The alias of what must survive memory pressure (rate-limit counters, per-client budgets), kept in
# a Redis that never evicts; cached answers stay in "default", which may (cms/settings/base.py).
STATE = "state"


def state_cache() -> BaseCache:
    return caches[STATE]


def raw_redis_client(backend: BaseCache) -> "redis.Redis | None":
    """The redis-py client under a Django Redis cache, for commands Django's API lacks; else None."""
    if isinstance(backend, DjangoRedisCache):
        return backend._cache.get_client(write=True)
    return None
