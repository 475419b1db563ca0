"""System checks for the webhook settings: PUBLISH_WEBHOOK_URLS from the environment must pass the same
checks as endpoints saved in the admin, so a bad value stops `manage.py migrate` (and so the
container's start) with a clear message instead of being refused silently at every publish."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from webhooks.addresses import HostNotFound, UnsafeURL, check_url, vetted_addresses


@register()
def check_webhook_urls(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """cms.E020 a refused URL, cms.W020 a host that does not resolve now, cms.E021 dev hosts in production."""
    messages: list[CheckMessage] = []
    if getattr(settings, "PRODUCTION", False) and getattr(settings, "PUBLISH_WEBHOOK_DEV_HOSTS", []):
        messages.append(
            Error(
                "PUBLISH_WEBHOOK_DEV_HOSTS is set in production.",
                hint="It allows plain http and internal addresses, for development only; production "
                "ignores it. Remove it and give webhook receivers public https:// URLs.",
                id="cms.E021",
            )
        )
    for url in getattr(settings, "PUBLISH_WEBHOOK_URLS", []):
        try:
            target = check_url(url)
        except UnsafeURL as exc:
            messages.append(Error(f"PUBLISH_WEBHOOK_URLS entry {url!r} is refused: {exc}", id="cms.E020"))
            continue
        try:
            vetted_addresses(target.host, target.port)
        except HostNotFound as exc:
            # DNS may be down while the container starts; every delivery checks again.
            messages.append(Warning(f"PUBLISH_WEBHOOK_URLS entry {url!r}: {exc}", id="cms.W020"))
        except UnsafeURL as exc:
            messages.append(Error(f"PUBLISH_WEBHOOK_URLS entry {url!r} is refused: {exc}", id="cms.E020"))
    return messages
