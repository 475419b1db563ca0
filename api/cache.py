"""The cache aliases: cached answers in "default", and the "state" alias that keeps what must not be
evicted apart from them; and the Redis client under a cache, for commands Django's API lacks.

The Redis backend itself (one client per connection pool) is cms/internals/django_redis.py.
"""

import redis
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

from cms.internals.django_redis import redis_client

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
