"""Sending: once the editor's transaction commits, one delivery task per endpoint (tasks.py).

`send()` is what receivers call. Nothing happens until the transaction commits (a change that
rolls back sends nothing); then the message is serialised once, given an id, and queued for every
endpoint with the task backend in TASKS. Each attempt is a row in WebhookDelivery. Connection
errors, timeouts, 5xx and 429 are retried with exponential backoff (PUBLISH_WEBHOOK_BACKOFF_SECONDS
× 1, 2, 4, 8…) up to PUBLISH_WEBHOOK_MAX_ATTEMPTS; any other answer is final.
"""

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from webhooks.models import WebhookEndpoint
from webhooks.payloads import message
from webhooks.tasks import deliver

logger = logging.getLogger("webhooks")


def endpoint_urls() -> list[str]:
    """PUBLISH_WEBHOOK_URLS, then the active endpoints admins added, without duplicates."""
    urls = list(settings.PUBLISH_WEBHOOK_URLS)
    urls += WebhookEndpoint.objects.filter(active=True).values_list("url", flat=True)
    return list(dict.fromkeys(urls))


def send(event_type: str, data: dict[str, Any], *, unless: Callable[[], bool] | None = None) -> None:
    """Queue `event_type` with `data` for every endpoint once the current transaction commits
    (and `unless()`, asked then, is false)."""
    payload = message(event_type, data)

    def after_commit() -> None:
        if unless is None or not unless():
            dispatch(payload)

    transaction.on_commit(after_commit, robust=True)


def dispatch(payload: dict[str, Any]) -> None:
    """Queue the first attempt of `payload` for every endpoint."""
    urls = endpoint_urls()
    if not urls:
        return
    if not settings.PUBLISH_WEBHOOK_SECRET:
        logger.error(
            "PUBLISH_WEBHOOK_SECRET is not set: %s not sent to %d endpoint(s)", payload["type"], len(urls)
        )
        return
    message_id = f"msg_{uuid.uuid4().hex}"
    # Serialised once: every endpoint and every retry gets exactly these bytes (a JSON column
    # would not keep the keys' order on PostgreSQL).
    body = json.dumps(payload, separators=(",", ":"))
    for url in urls:
        try:
            deliver.enqueue(url, message_id, body)
        except Exception:
            # One endpoint's task not queued (the database went away) must not stop the others.
            logger.exception("Could not queue webhook %s for %s", message_id, url)
