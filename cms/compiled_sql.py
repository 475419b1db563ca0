"""A listing's SQL compiled once per shape, not once per request.

Django compiles a queryset to SQL every time it runs one: resolving each ordering name through the
joins, each selected column, each condition. For a page of twenty news items that is an eighth of
the request's CPU, and between content changes it yields the same SQL and parameters for the same
listing every time. `traced()` marks a queryset whose SQL is fully decided by a key (its caller's
word for the base: the visibility facts it was built from); every queryset derived from it through
the methods below carries that key plus what each call added, and a listing iterated through
`listing_columns` runs SQL compiled once for that whole trace (and its slice), from the second
time it runs.

Safe by construction: any other way of deriving a queryset (`values()`, `reverse()`, `extra()`,
`specific()`…) drops the trace, and so does an argument this module cannot compare by value (an
expression, a subquery, a model instance, whose SQL may name a field other than its key). Such a
queryset compiles as Django always does. With `COMPILED_SQL_VERIFY` on (the test settings), every
reuse is compiled afresh too and must match exactly.
"""

import copy
import datetime
import decimal
import enum
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=models.Model)

# Compiled listings kept per process: each holds its compiler's state (a few kilobytes). A trace
# is kept only the second time it is met among the last SEEN_ENTRIES, so a listing filtered on a
# value of one request's own (a search's page of ids) is not kept for nothing.
MAX_ENTRIES = 256
SEEN_ENTRIES = 1024

TRACE = "_compiled_sql_trace"

_PLAIN = (str, int, float, bool, type(None), decimal.Decimal, datetime.date, datetime.time, uuid.UUID)

_compiled: "OrderedDict[Hashable, tuple[SQLCompiler, str, tuple[Any, ...]]]" = OrderedDict()
_seen: "OrderedDict[Hashable, None]" = OrderedDict()
_lock = threading.Lock()


class _Unkeyable(Exception):
    """An argument whose SQL this module cannot tell from its value."""


# Longer lists (a search's matching ids) and texts are not kept as keys: each would be a listing
# compiled for one request, holding its arguments in memory.
MAX_ITEMS = 64
MAX_CHARS = 1024


def _value_key(value: Any) -> Hashable:
    # The type is part of the key: 1, 1.0 and True are equal in Python, not as SQL parameters.
    if isinstance(value, _PLAIN):
        if isinstance(value, str) and len(value) > MAX_CHARS:
            raise _Unkeyable("a long text")
        return (type(value), value)
    if isinstance(value, enum.Enum):
        return (type(value), _value_key(value.value))
    if isinstance(value, tuple | list | set | frozenset):
        if len(value) > MAX_ITEMS:
            raise _Unkeyable("a long list")
        keys = tuple(map(_value_key, value))
        return (type(value), tuple(sorted(keys, key=repr)) if isinstance(value, set | frozenset) else keys)
    if isinstance(value, Q):
        return (Q, value.connector, value.negated, tuple(map(_value_key, value.children)))
    raise _Unkeyable(type(value).__name__)


def _call_key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    return (name, _value_key(args), tuple((key, _value_key(value)) for key, value in sorted(kwargs.items())))


def _keeping_trace(name: str) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = getattr(super(_Traced, self), name)(*args, **kwargs)
        trace = self.__dict__.get(TRACE)
        if trace is not None and isinstance(result, models.QuerySet):
            try:
                result.__dict__[TRACE] = (*trace, _call_key(name, args, kwargs))
            except _Unkeyable:
                result.__dict__.pop(TRACE, None)
        return result

    method.__name__ = name
    return method


class _Traced:
    """Mixed into a queryset's class by `traced()`: these methods extend the trace, and every other
    way to a new queryset (`_clone()`) forgets it."""

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]
        clone.__dict__.pop(TRACE, None)
        return clone

    filter = _keeping_trace("filter")
    exclude = _keeping_trace("exclude")
    order_by = _keeping_trace("order_by")
    select_related = _keeping_trace("select_related")
    prefetch_related = _keeping_trace("prefetch_related")
    defer = _keeping_trace("defer")
    only = _keeping_trace("only")
    all = _keeping_trace("all")

    def __reduce_ex__(self, protocol: Any) -> Any:
        # Pickled (into a cache) as the queryset it traces: the trace is this process's alone.
        queryset: Any = self
        state = {k: v for k, v in queryset.__getstate__().items() if k != TRACE}
        return (_unpickle_plain, (type(self).__bases__[1], state))

    def __getitem__(self, k: Any) -> Any:
        result = super().__getitem__(k)  # type: ignore[misc]
        trace = self.__dict__.get(TRACE)
        if trace is not None and isinstance(k, slice) and isinstance(result, models.QuerySet):
            # The slice itself is read from the query's limits when it runs.
            result.__dict__[TRACE] = trace
        return result


def _unpickle_plain(cls: Any, state: dict[str, Any]) -> Any:
    queryset = cls.__new__(cls)
    queryset.__setstate__(state)
    return queryset


_traced_classes: dict[type, type] = {}


def traced(queryset: "models.QuerySet[M]", key: Hashable) -> "models.QuerySet[M]":
    """`queryset`, whose SQL is decided by `key` alone, traced: what is derived from it through
    filter, exclude, order_by, select_related, prefetch_related, defer, only, all and slicing runs
    SQL compiled once per trace when iterated by `listing_columns`."""
    cls = type(queryset)
    if not issubclass(cls, _Traced):
        cls = _traced_classes.get(cls) or _traced_classes.setdefault(
            cls, type(f"Traced{cls.__name__}", (_Traced, cls), {"__module__": __name__})
        )
    clone = queryset.all()
    clone.__class__ = cls
    clone.__dict__[TRACE] = (key,)
    return clone


class _Precompiled:
    """Stands in for a queryset's Query where Django's model iterable asks it for a compiler."""

    def __init__(self, compiler: SQLCompiler) -> None:
        self.compiler = compiler

    def get_compiler(
        self, using: Any = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        return self.compiler


def _replaying(compiler: SQLCompiler, sql: str, params: tuple[Any, ...], db: str) -> SQLCompiler:
    """A copy of `compiler` (compiled once) for this thread's connection, answering its SQL again."""
    again = copy.copy(compiler)
    again.connection = connections[db]
    again.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
    return again


def with_compiled_sql(queryset: "models.QuerySet[M]") -> "models.QuerySet[M]":
    """`queryset` to iterate with a model iterable: when traced, a shallow copy whose compiler's SQL
    is compiled once per trace and slice; else `queryset` itself."""
    trace = queryset.__dict__.get(TRACE)
    if trace is None or queryset._deferred_filter:  # type: ignore[attr-defined]
        return queryset
    query = queryset.query
    db = queryset.db
    key = (trace, query.low_mark, query.high_mark, db)
    with _lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
        elif key not in _seen:
            _seen[key] = None
            while len(_seen) > SEEN_ENTRIES:
                _seen.popitem(last=False)
            return queryset
    if entry is None:
        compiler = query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except Exception:
            return queryset  # an empty result (or an error): Django's own path says so
        if not sql:
            return queryset
        entry = (compiler, sql, tuple(params))
        with _lock:
            _compiled[key] = entry
            while len(_compiled) > MAX_ENTRIES:
                _compiled.popitem(last=False)
    elif getattr(settings, "COMPILED_SQL_VERIFY", False):
        fresh = query.get_compiler(using=db).as_sql()
        if (fresh[0], tuple(fresh[1])) != (entry[1], entry[2]):
            raise AssertionError(
                f"A traced queryset's SQL differs from the SQL compiled for its trace:\n{fresh}\n{entry[1:]}"
            )
    compiler, sql, params = entry
    # Not copy.copy(): pickling support makes a queryset run its query when copied that way.
    running = object.__new__(type(queryset))
    running.__dict__.update(queryset.__dict__)
    running._query = _Precompiled(_replaying(compiler, sql, params, db))  # type: ignore[attr-defined]
    return running


def forget() -> None:
    """Drop every compiled listing (tests)."""
    with _lock:
        _compiled.clear()
        _seen.clear()
