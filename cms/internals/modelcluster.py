"""modelcluster's and Wagtail's constructors, left out when a page is loaded from the database.

Every Wagtail page is a modelcluster `ClusterableModel`, whose `__init__` lists the model's child
relations (two passes over every field of the model, about a hundred on a page) to find any passed
as a keyword argument; Wagtail's `Page.__init__` then sets the content type and menu default of a
page without an id. Django builds a loaded object from positional values only (`Model.from_db`
calls `cls(*values)`), always with its id, so for a loaded page both find nothing to do: their
cost was about 20 µs a page, a tenth of a listing's model loading. `load()` is Django's
`Model.from_db` with Django's own `Model.__init__` in their place, for page types with no other
constructor (a form page's, Wagtail's FormMixin, does something: those load as Django loads them);
BasePage uses it.

tests/internals/test_modelcluster.py fails when an upgrade changes what these two do for a loaded
page.
"""

from typing import Any, TypeVar

from django.db import models
from django.db.models.base import DEFERRED
from modelcluster.models import ClusterableModel
from wagtail.models import Page

M = TypeVar("M", bound=models.Model)

# The constructors that do nothing for a loaded page.
IDLE_WHEN_LOADED = frozenset({ClusterableModel, Page})

_skippable: dict[type[models.Model], bool] = {}
# {model: (the field names of the last query with deferred columns, each field's position in its rows)}
_layouts: dict[type[models.Model], tuple[Any, list[int | None]]] = {}


def constructors(cls: type[models.Model]) -> set[type]:
    """The classes above Django's Model whose `__init__` building `cls` runs."""
    return {
        klass for klass in cls.__mro__ if "__init__" in vars(klass) and klass not in (models.Model, object)
    }


def load(cls: type[M], db: str, field_names: Any, values: Any) -> M:
    """`Model.from_db(db, field_names, values)` for `cls`, built by `models.Model.__init__` alone
    when every other constructor of `cls` is one of IDLE_WHEN_LOADED."""
    skippable = _skippable.get(cls)
    if skippable is None:
        skippable = _skippable[cls] = constructors(cls) <= IDLE_WHEN_LOADED
    if not skippable:
        loaded: M = models.Model.from_db.__func__(cls, db, field_names, values)  # type: ignore[attr-defined]
        return loaded
    if len(values) != len(cls._meta.concrete_fields):
        # Some columns were left out (a listing's): where each field's value is, worked out once per
        # query (Django passes every row of one query the same list of names) rather than per row.
        layout = _layouts.get(cls)
        if layout is None or layout[0] is not field_names:
            layout = _layouts[cls] = (field_names, _positions(cls, field_names))
        values = [DEFERRED if position is None else values[position] for position in layout[1]]
    new = cls.__new__(cls)
    models.Model.__init__(new, *values)
    new._state.adding = False
    new._state.db = db
    return new


def _positions(cls: type[models.Model], field_names: Any) -> list[int | None]:
    """For each concrete field of `cls`, its value's index in a row loading `field_names` (None: deferred)."""
    loaded = set(field_names)
    positions: list[int | None] = []
    index = 0
    for field in cls._meta.concrete_fields:
        if field.attname in loaded:
            positions.append(index)
            index += 1
        else:
            positions.append(None)
    return positions
