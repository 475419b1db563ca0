"""Facts shared across one API request (and nothing longer), so a list costs the same SQL as one item."""

import contextvars
from contextlib import contextmanager

_memo = contextvars.ContextVar("request_memo", default=None)


@contextmanager
def request_scope():
    """Everything memoised inside is forgotten at the end, so nothing can go stale."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key, compute):
    """`compute()` once per request scope (every time outside one)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def store():
    """The current request's memo dict, or None outside a request scope."""
    return _memo.get()
