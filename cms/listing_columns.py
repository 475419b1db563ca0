"""Listings load only the columns lists show; one left out loads, when first read, for the whole list.

A page of twenty news items has no use for twenty bodies (a StreamField, parsed from JSON as each row
is read) or for Wagtail's editing bookkeeping (locks, revisions, owners): `leave_out()` defers such
columns on a listing's queryset and gives every object it yields the list it came in. When a client
does select a left-out field, Django loads it through `refresh_from_db`, which BasePage hands to
`load_left_out()`: every left-out column of every object of that list, in one query. Reading a
left-out field of a list of 50 so costs one query more, as for a list of 1, never one per item.
"""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models.query import ModelIterable

from cms.compiled_sql import with_compiled_sql

M = TypeVar("M", bound=models.Model)

# Where each object of a listing keeps the list it came in: not a field, so never saved.
PEERS = "_listing_peers"

# Wagtail's columns for editing and publishing that no public field reads.
EDITING_COLUMNS = (
    "draft_title",
    "numchild",
    "translation_key",
    "latest_revision",
    "latest_revision_created_at",
    "live_revision",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "alias_of",
    "show_in_menus",
)


class _WithPeers(ModelIterable):
    """Django's iterable of model objects, each told the list it is part of, running SQL compiled
    once per listing shape when the queryset is traced (cms/compiled_sql.py)."""

    def __iter__(self) -> Iterator[models.Model]:
        self.queryset = with_compiled_sql(self.queryset)
        peers: list[models.Model] = []
        for obj in super().__iter__():
            obj.__dict__[PEERS] = peers
            peers.append(obj)
            yield obj


def leave_out(queryset: "models.QuerySet[M]", *fields: str) -> "models.QuerySet[M]":
    """`queryset` without the columns of `fields`, each loaded for the whole list when first read."""
    deferred = queryset.defer(*fields)
    deferred._iterable_class = _WithPeers
    return deferred


def load_left_out(instance: models.Model, fields: Iterable[str]) -> bool:
    """Load the deferred columns of `instance` and of the objects it was listed with, in one query;
    False (nothing done) if it was not listed by `leave_out()` or `fields` are not all deferred."""
    peers: list[models.Model] | None = instance.__dict__.get(PEERS)
    if peers is None or instance.pk is None:
        return False
    deferred = instance.get_deferred_fields()
    if not deferred or not set(fields) <= deferred:
        return False
    model = type(instance)
    group = [
        peer
        for peer in peers
        if type(peer) is model and peer.pk is not None and not deferred.isdisjoint(peer.get_deferred_fields())
    ]
    manager: Any = model._base_manager.db_manager(instance._state.db, hints={"instance": instance})
    rows = {row.pk: row for row in manager.filter(pk__in=[peer.pk for peer in group]).only(*deferred)}
    if instance.pk not in rows:
        return False  # gone since it was listed: Django's own refresh says so (DoesNotExist)
    for peer in group:
        row = rows.get(peer.pk)
        if row is None:
            continue
        missing = peer.get_deferred_fields() & deferred
        for field in model._meta.concrete_fields:
            if field.attname in missing:
                setattr(peer, field.attname, getattr(row, field.attname))
    return True
