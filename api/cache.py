"""The cache aliases: cached answers in "default", and the "state" alias that keeps what must not be
evicted apart from them; and the Redis client under a cache, for commands Django's API lacks.

The Redis backend itself (one client per connection pool) is cms/internals/django_redis.py.
"""

import functools

import redis
import redis.asyncio
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

from cms.internals.django_redis import async_redis_client, redis_client

# The alias of what must survive memory pressure (rate-limit counters, per-client budgets), kept in
# a Redis that never evicts; cached answers stay in "default", which may (cms/settings/base.py).
STATE = "state"


def state_cache() -> BaseCache:
    return caches[STATE]


def raw_redis_client(backend: BaseCache) -> redis.Redis | None:
    """The redis-py client under a Django Redis cache, for commands Django's API lacks; else None."""
    if isinstance(backend, RedisCache):
        return redis_client(backend)
    return None


def raw_async_redis_client(backend: BaseCache) -> redis.asyncio.Redis | None:
    """raw_redis_client() for the running event loop: an asyncio client to the same server; else None."""
    if isinstance(backend, RedisCache):
        return async_redis_client(backend)
    return None


@functools.cache
def event_loop_cache(alias: str) -> BaseCache:
    """The cache `alias` for code in the server's event loop, one per process. `caches[alias]` is
    kept per asyncio task there (asgiref's Local follows the context), so every request would
    build a new backend, and a new asyncio client with new connections with it."""
    return caches.create_connection(alias)
