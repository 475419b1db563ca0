"""Django's built-in Redis cache (django.core.cache.backends.redis), reached into in two places.

- One redis-py client per connection pool. `RedisCacheClient.get_client()` builds a new
  `redis.Redis` for every cache call, and redis-py's constructor is not cheap (it rebuilds its table
  of response callbacks each time): on a busy API answer that was a measurable share of the CPU. A
  client over a pool is thread-safe, so each pool keeps one. The cache's OPTIONS reach the
  connection pool, never the client, so no setting does this: the subclass below asks
  `RedisCacheClient._get_connection_pool(write)` for the pool, and `RedisCache` builds it through
  `RedisCache._class`, the client class its `_cache` instantiates.
- The redis-py client itself, for commands Django's cache API lacks (a pipelined INCRBY and EXPIRE NX
  for the rate limits): `RedisCache._cache.get_client(write=True)`; Django has no public accessor.

tests/internals/test_django_redis.py fails when an upgrade changes any of these.
"""

from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's Redis cache client, building one redis-py client per connection pool, not per call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = redis.Redis(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache backend (CACHES' BACKEND) with the client above."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


def redis_client(backend: DjangoRedisCache) -> redis.Redis:
    """The redis-py client a Django Redis cache writes with."""
    client: redis.Redis = backend._cache.get_client(write=True)
    return client
