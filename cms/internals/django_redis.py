"""Django's built-in Redis cache (django.core.cache.backends.redis), reached into in two places.

- One redis-py client per connection pool. `RedisCacheClient.get_client()` builds a new
  `redis.Redis` for every cache call, and redis-py's constructor is not cheap (it rebuilds its table
  of response callbacks each time): on a busy API answer that was a measurable share of the CPU. A
  client over a pool is thread-safe, so each pool keeps one. The cache's OPTIONS reach the
  connection pool, never the client, so no setting does this: the subclass below asks
  `RedisCacheClient._get_connection_pool(write)` for the pool, and `RedisCache` builds it through
  `RedisCache._class`, the client class its `_cache` instantiates.
- An asyncio client to the same server, for the server's event loop (api/graphql/fast_path.py):
  built from `RedisCacheClient._servers[0]` (the server written to) and `_pool_options` (the
  cache's OPTIONS, less the synchronous `parser_class`); values decoded with `_serializer`. Its
  MGET for replays keeps connections of its own, made by the pool's `make_connection()`.
- The redis-py client itself, for commands Django's cache API lacks (a pipelined INCRBY and EXPIRE NX
  for the rate limits): `RedisCache._cache.get_client(write=True)`; Django has no public accessor.

tests/internals/test_django_redis.py fails when an upgrade changes any of these.
"""

import asyncio
import weakref
from typing import Any

import redis
import redis.asyncio
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


# Per event loop: an asyncio connection belongs to the loop that opened it.
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, redis.asyncio.Redis]]" = (
    weakref.WeakKeyDictionary()
)


def async_redis_client(backend: DjangoRedisCache) -> redis.asyncio.Redis:
    """An asyncio redis-py client, for the running event loop, to the server `backend` writes to."""
    clients = _async_clients.setdefault(asyncio.get_running_loop(), {})
    client = clients.get(id(backend))
    if client is None:
        cache_client: Any = backend._cache  # Django's client: its attributes are untyped
        options = {
            name: value for name, value in cache_client._pool_options.items() if name != "parser_class"
        }
        pool = redis.asyncio.ConnectionPool.from_url(cache_client._servers[0], **options)
        client = clients[id(backend)] = redis.asyncio.Redis(connection_pool=pool)
    return client


def decode(backend: DjangoRedisCache, raw: bytes | None) -> Any:
    """A value as `backend` stored it (pickled, or a plain integer), from its raw bytes; None stays None."""
    cache_client: Any = backend._cache
    return None if raw is None else cache_client._serializer.loads(raw)


# Connections `mget` keeps, per asyncio client, each put back only once its reply was read whole, so
# none has anything pending. redis-py's pool takes a lock, checks the socket for unread data and
# records metrics on every checkout and return: about a third of a replay's Redis cost.
_idle: "weakref.WeakKeyDictionary[redis.asyncio.Redis, list[redis.asyncio.connection.AbstractConnection]]" = (
    weakref.WeakKeyDictionary()
)
IDLE_MAX = 32


async def mget(client: redis.asyncio.Redis, keys: list[str]) -> list[bytes | None]:
    """MGET over a connection made with `client`'s settings, without the client's per-command layers
    (retries, response callbacks) or its pool's. A connection that fails is dropped; if it had been
    idle, the server closed it (a restart, an idle timeout) and likely its idle siblings too: they
    are dropped as well and the command is sent once more on a new connection."""
    idle = _idle.setdefault(client, [])
    reused = bool(idle)
    connection = idle.pop() if reused else client.connection_pool.make_connection()
    try:
        await connection.send_command("MGET", *keys)
        values: list[bytes | None] = await connection.read_response()
    except redis.exceptions.ConnectionError:
        await connection.disconnect()
        if not reused:
            raise
        while idle:
            await idle.pop().disconnect()
        return await mget(client, keys)
    except BaseException:
        await connection.disconnect()
        raise
    if len(idle) < IDLE_MAX:
        idle.append(connection)
    else:
        await connection.disconnect()
    return values
