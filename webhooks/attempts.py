"""One delivery attempt: POST the signed message once, judge the answer, log it in WebhookDelivery.

Every attempt checks the URL again and connects only to an address vetted at that moment
(addresses.py, transport.py): a URL stored before the checks existed, or a host whose DNS now
answers with an internal address, is refused and logged, never retried. At most a short excerpt
of the answer is kept, control characters removed (the admin escapes it when showing it).
"""

import json
import logging
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from urllib3.exceptions import HTTPError as Urllib3Error

from webhooks import signing, transport
from webhooks.addresses import UnsafeURL, check_url
from webhooks.models import WebhookDelivery

logger = logging.getLogger("webhooks")

EXCERPT_CHARS = 200  # of the receiver's answer, kept in the delivery log
EXCERPT_BYTES = 1024  # read of the answer's body; the rest is never downloaded
ERROR_CHARS = 500
USER_AGENT = "PSG-CMS-Webhooks/1"


@dataclass(frozen=True)
class Attempt:
    """One try at one endpoint: the message exactly as first serialised, and which try it is."""

    url: str
    message_id: str
    body: str
    number: int

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.body)
        return payload


def clean_text(text: str, limit: int) -> str:
    """`text` without control or format characters (ANSI escapes, bidi overrides, NULs), whitespace
    collapsed, at most `limit` characters: safe to store and to show in the admin (escaped there)."""
    visible = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    return " ".join(visible.split())[:limit]


def _read_excerpt(response: requests.Response) -> str:
    try:
        head = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except (Urllib3Error, OSError):
        return ""
    return clean_text(head.decode("utf-8", "replace"), EXCERPT_CHARS)


def _post(attempt: Attempt, headers: dict[str, str]) -> tuple[int, str]:
    """POST once; (status, excerpt). Raises UnsafeURL or requests' errors."""
    check_url(attempt.url)
    seconds = settings.PUBLISH_WEBHOOK_TIMEOUT
    # The timeout bounds each socket operation; the deadline bounds the attempt as a whole.
    with transport.deadline(seconds) as watchdog, transport.session() as http:
        try:
            response = http.post(
                attempt.url,
                data=attempt.body.encode(),
                headers=headers,
                timeout=seconds,
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            if watchdog.expired:
                raise requests.Timeout(f"No complete answer within {seconds} s.") from exc
            raise
        with response:
            answer = response.status_code, _read_excerpt(response)
        if watchdog.expired:
            # Cut short: what was read (a status line without its headers, part of a body) is
            # not an answer.
            raise requests.Timeout(f"No complete answer within {seconds} s.")
        return answer


def make(attempt: Attempt) -> bool:
    """POST once and log the attempt; True when the answer says to try again later (connection
    errors, timeouts, 5xx, 429), whether or not attempts remain."""
    secret = settings.PUBLISH_WEBHOOK_SECRET
    if not secret:
        # Queued by a process that has the secret, taken by a worker that lacks it.
        error = "Not sent: PUBLISH_WEBHOOK_SECRET is not set in the process that delivers webhooks."
        _record(attempt, None, error, "", False)
        logger.error("Webhook %s to %s: %s", attempt.message_id, attempt.url, error)
        return False
    headers = signing.headers(secret, attempt.message_id, time.time(), attempt.body)
    headers["User-Agent"] = USER_AGENT
    status: int | None = None
    error, excerpt, retry = "", "", False
    try:
        status, excerpt = _post(attempt, headers)
        retry = status >= 500 or status == 429
        if 300 <= status < 400:
            error = "Redirect not followed: webhooks must answer 2xx at the configured URL."
    except UnsafeURL as exc:
        error = clean_text(f"Refused: {exc}", ERROR_CHARS)
    except (requests.ConnectionError, requests.Timeout) as exc:
        error, retry = clean_text(f"{type(exc).__name__}: {exc}", ERROR_CHARS), True
    except requests.RequestException as exc:
        error = clean_text(f"{type(exc).__name__}: {exc}", ERROR_CHARS)
    succeeded = status is not None and 200 <= status < 300
    _record(attempt, status, error, excerpt, succeeded)
    if not succeeded:
        logger.warning(
            "Webhook %s to %s failed (attempt %d: %s)",
            attempt.payload["type"],
            attempt.url,
            attempt.number,
            status or error,
        )
    return retry


def _record(attempt: Attempt, status: int | None, error: str, excerpt: str, succeeded: bool) -> None:
    payload = attempt.payload
    row = WebhookDelivery(
        endpoint_url=attempt.url,
        event_type=payload["type"],
        message_id=attempt.message_id,
        payload=payload,
        attempt=attempt.number,
        status_code=status,
        error=error,
        response_excerpt=excerpt,
        succeeded=succeeded,
    )
    try:
        # bulk_create sends no post_save: a log row is no content change, nothing reacts to it.
        WebhookDelivery.objects.bulk_create([row])
    except Exception:
        logger.exception("Could not record the webhook delivery %s", attempt.message_id)
