"""A server worker's heap, settled once the application is loaded (`cms/asgi.py` calls this last).

A loaded worker holds about 175,000 objects that live as long as it does: Django's and Wagtail's
modules, the models, the URLconf, the GraphQL schema. CPython's collector walks all of them in each
full collection, which it runs every few hundred requests: about 120–190 ms on a 2-core machine,
with the GIL held, so every request in flight on that worker stops, the event loop's cached
replays included (docs/performance.md, "Garbage collection"). Frozen, they are out of the
collector's sight: a full collection walks only what requests and the process's caches made since.

The URLconf (and with it the admin's views and the GraphQL schema) is loaded before the freeze:
Django would otherwise load it on the first request, after it, and those objects would stay in
every full collection. The collection thresholds stay CPython's: raising the first one made fewer,
longer pauses and no measurable saving, because a request's objects mostly die by reference
counting before any collection sees them.
"""

import gc

from django.urls import get_resolver


def settle() -> int:
    """Load the URLconf, collect what loading left behind, freeze the rest; how many are frozen."""
    get_resolver().url_patterns  # noqa: B018 (reading it imports every URL module)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
