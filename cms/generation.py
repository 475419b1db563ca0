"""The content generation: one random token that every content change replaces.

Whatever is derived from content and kept beyond one request (cached API answers, visibility facts,
site roots, known renditions) is keyed by it, so a change is visible on the very next request, in
every process, without finding and deleting the derived entries one by one.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

from django.core.cache import cache

from cms.request_cache import memoised

# Eviction of this key is safe: a new random generation is made, so every entry keyed by the old
# one is merely missed (never served stale); it is read on every request, so an LRU cache keeps it.
GENERATION_KEY = "graphql:generation"

K = TypeVar("K")
V = TypeVar("V")


def current_generation() -> str:
    """The generation, read from the cache once per request scope."""
    return str(memoised("generation", _read_generation))


def _read_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return str(generation)


def bump_generation(**_signal_kwargs: object) -> None:
    """Start a new generation: called whenever content that answers can show changes."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


class KeptForGeneration(Generic[K, V]):
    """Facts derived from content that this process keeps for the current generation only.

    Whatever a content change could alter is forgotten with the generation it was read under, so
    a change shows on the very next request, as for cached answers. Bounded: the oldest go first.
    Thread-safe; the values are shared between requests, so they must never be changed in place.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._entries: OrderedDict[K, V] = OrderedDict()

    def _current(self) -> None:
        generation = current_generation()
        if generation != self._generation:
            self._generation, self._entries = generation, OrderedDict()

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        with self._lock:
            self._current()
            return {key: self._entries[key] for key in keys if key in self._entries}

    def put_many(self, items: Mapping[K, V]) -> None:
        with self._lock:
            self._current()
            self._entries.update(items)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
