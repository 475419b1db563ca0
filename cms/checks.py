"""System checks: production must not run with a debugging or discovery switch on by accident.

"Production" is the PRODUCTION setting (True only in cms/settings/production.py), not DEBUG, so a
production deployment with DEBUG switched on is caught too. Each risky switch can be kept on
deliberately by setting its `*_IN_PRODUCTION_ACKNOWLEDGED` environment variable to true.
These run on every `manage.py` command (migrate included), not only `check --deploy`.
"""

import ipaddress

from django.conf import settings
from django.core.checks import Error, register

# (id, what is on, the acknowledgement setting, why it matters)
_RISKY_SWITCHES = {
    "debug": (
        "cms.E001",
        "DEBUG is on in production.",
        "DEBUG_IN_PRODUCTION_ACKNOWLEDGED",
        "Error pages would show settings, SQL and tracebacks to anyone.",
    ),
    "graphiql": (
        "cms.E002",
        "GRAPHIQL_ENABLED is on in production.",
        "GRAPHIQL_IN_PRODUCTION_ACKNOWLEDGED",
        "GraphiQL is a development tool; it also needs introspection.",
    ),
    "introspection": (
        "cms.E004",
        "GRAPHQL_INTROSPECTION is on in production.",
        "INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED",
        "Anyone could download the whole schema.",
    ),
}


def _switches_on():
    return {
        "debug": settings.DEBUG,
        "graphiql": getattr(settings, "GRAPHIQL_ENABLED", False),
        "introspection": getattr(settings, "GRAPHQL_INTROSPECTION", False),
    }


@register()
def check_production_switches(app_configs=None, **kwargs):
    """cms.E001–E004: a risky switch on in production without its acknowledgement."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    for name, on in _switches_on().items():
        check_id, message, acknowledgement, why = _RISKY_SWITCHES[name]
        if on and not getattr(settings, acknowledgement, False):
            errors.append(
                Error(
                    message,
                    hint=f"{why} Turn it off, or set {acknowledgement}=true to keep it on deliberately.",
                    id=check_id,
                )
            )
    return errors


@register()
def check_rate_limit_settings(app_configs=None, **kwargs):
    """cms.E010–E011: rate-limit numbers that would break the limiter, proxies that cannot parse."""
    errors = []
    for name in ("RATE_LIMIT_REQUESTS", "RATE_LIMIT_WINDOW"):
        value = getattr(settings, name, 1)
        if not isinstance(value, int) or value < 1:
            errors.append(
                Error(f"{name} must be a whole number of at least 1, not {value!r}.", id="cms.E010")
            )
    for entry in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES entry {entry!r} is not an IP address or network.",
                    hint="Use addresses or CIDRs, comma-separated, e.g. 10.0.0.0/8,192.0.2.7.",
                    id="cms.E011",
                )
            )
    return errors
