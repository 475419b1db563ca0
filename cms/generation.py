"""The content generation: one random token that every content change replaces.

Whatever is derived from content and kept beyond one request (cached API answers, visibility facts,
site roots, known renditions) is keyed by it, so a change is visible on the very next request, in
every process, without finding and deleting the derived entries one by one.
"""

import uuid

from django.core.cache import cache

from cms.request_cache import memoised

# Eviction of this key is safe: a new random generation is made, so every entry keyed by the old
# one is merely missed (never served stale); it is read on every request, so an LRU cache keeps it.
GENERATION_KEY = "graphql:generation"


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
