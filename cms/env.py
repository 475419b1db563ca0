"""The one place settings read the environment, so production can fail fast on a missing secret."""

import os

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()


def get_env(name, default=_UNSET, *, required=False):
    """Return the environment variable `name`; raise if it is required (or has no default) and unset."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required or default is _UNSET:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return default


def get_env_list(name, default=""):
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in get_env(name, default).split(",") if item.strip()]


def get_env_bool(name, default=False):
    return get_env(name, "true" if default else "false").lower() in {"1", "true", "yes", "on"}


def get_env_int(name, default):
    raw = get_env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from exc


def get_env_float(name, default):
    raw = get_env(name, str(default))
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}.") from exc
