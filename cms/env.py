"""The one place settings read the environment, so production can fail fast on a missing secret."""

import os
from urllib.parse import unquote, urlsplit

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


_EMAIL_SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}


def email_settings(url):
    """{host, port, user, password, use_tls, use_ssl} of an EMAIL_URL; {} for an empty one.

    `smtp://` is plain, `smtp+tls://` upgrades with STARTTLS (port 587), `smtps://` is SSL (465);
    the user and password are percent-decoded, so either may hold any character.
    """
    if not url:
        return {}
    parts = urlsplit(url)
    if parts.scheme not in _EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp+tls://user:password@host:587 (smtp://, smtp+tls:// or smtps://)."
        )
    use_tls, use_ssl = _EMAIL_SCHEMES[parts.scheme]
    return {
        "host": parts.hostname,
        "port": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
    }
