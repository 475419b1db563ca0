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
    concrete_fields = cls._meta.concrete_fields
    if len(values) != len(concrete_fields):
        values_iter = iter(values)
        values = [next(values_iter) if f.attname in field_names else DEFERRED for f in concrete_fields]
    new = cls.__new__(cls)
    models.Model.__init__(new, *values)
    new._state.adding = False
    new._state.db = db
    return new
