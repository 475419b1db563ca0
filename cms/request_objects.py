"""Model objects one request has loaded, by id: chooser blocks read them instead of querying one by one.

The delivery layer loads them for a whole response at once and decides what a chosen object reads
as (api.prefetch: a page that is not public reads as None); readers here only look them up.
"""

from collections.abc import Iterable

from django.db.models import Model

from cms.request_cache import store

Objects = dict[int, Model | None]


def known_objects(model: type[Model]) -> Objects | None:
    """The current request's objects of `model` by id (None for an id that reads as nothing).

    None outside a request scope, where nothing is shared.
    """
    memo = store()
    if memo is None:
        return None
    objects: Objects = memo.setdefault(("objects", model._meta.label), {})
    return objects


def objects_by_id(model: type[Model], ids: Iterable[int]) -> Objects:
    """{id: object or None} for `ids`; ids the request has not seen yet are loaded in one query."""
    ids = list(ids)
    known = known_objects(model)
    if known is None:
        known = {}
    missing = list({pk for pk in ids if pk not in known})
    if missing:
        found = model._default_manager.in_bulk(missing)
        for pk in missing:
            known[pk] = found.get(pk)
    return {pk: known[pk] for pk in ids}
