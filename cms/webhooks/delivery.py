"""Sending: after the transaction commits, on a background thread, with retries and a delivery log.

`send()` is what receivers call. Nothing happens until the editor's transaction commits; then the
message goes to every endpoint on an in-process worker thread (started on first use), so the editor
never waits for a receiver. Each attempt is a row in WebhookDelivery. Connection errors, timeouts,
5xx and 429 are retried with exponential backoff (PUBLISH_WEBHOOK_BACKOFF_SECONDS × 1, 2, 4, 8…)
up to PUBLISH_WEBHOOK_MAX_ATTEMPTS; any other answer is final. PUBLISH_WEBHOOK_SYNC sends inline
(tests). Pending retries live in memory: a process restart drops them (the log shows the last attempt).

Every attempt checks the URL again and connects only to an address vetted at that moment
(addresses.py, transport.py): a URL stored before the checks existed, or a host whose DNS now
answers with an internal address, is refused and logged, never retried. At most a short excerpt
of the answer is kept, control characters removed (the admin escapes it when showing it).
"""

import heapq
import itertools
import json
import logging
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import close_old_connections, transaction
from urllib3.exceptions import HTTPError as Urllib3Error

from cms.webhooks import signing, transport
from cms.webhooks.addresses import UnsafeURL, check_url
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from cms.webhooks.payloads import message

logger = logging.getLogger("cms.webhooks")

EXCERPT_CHARS = 200  # of the receiver's answer, kept in the delivery log
EXCERPT_BYTES = 1024  # read of the answer's body; the rest is never downloaded
ERROR_CHARS = 500


def _setting(name, default):
    return getattr(settings, name, default)


def endpoint_urls():
    """PUBLISH_WEBHOOK_URLS, then the active endpoints admins added, without duplicates."""
    urls = list(_setting("PUBLISH_WEBHOOK_URLS", []))
    urls += WebhookEndpoint.objects.filter(active=True).values_list("url", flat=True)
    return list(dict.fromkeys(urls))


def send(event_type, data, *, unless=None):
    """Queue `event_type` with `data` for every endpoint once the current transaction commits
    (and `unless()`, asked then, is false)."""
    payload = message(event_type, data)

    def after_commit():
        if unless is None or not unless():
            dispatch(payload)

    transaction.on_commit(after_commit, robust=True)


@dataclass
class Job:
    url: str
    message_id: str
    payload: dict
    body: str
    attempt: int = 1


def dispatch(payload):
    urls = endpoint_urls()
    if not urls:
        return
    if not _setting("PUBLISH_WEBHOOK_SECRET", ""):
        logger.error(
            "PUBLISH_WEBHOOK_SECRET is not set: %s not sent to %d endpoint(s)", payload["type"], len(urls)
        )
        return
    message_id = f"msg_{uuid.uuid4().hex}"
    body = json.dumps(payload, separators=(",", ":"))
    for url in urls:
        job = Job(url=url, message_id=message_id, payload=payload, body=body)
        if _setting("PUBLISH_WEBHOOK_SYNC", False):
            _deliver_inline(job)
        else:
            worker.submit(job)


def backoff(attempt):
    """Seconds to wait after failed attempt number `attempt` (1, 2, 4, 8… × the base)."""
    return _setting("PUBLISH_WEBHOOK_BACKOFF_SECONDS", 1.0) * 2 ** (attempt - 1)


def _deliver_inline(job):
    while attempt(job):
        time.sleep(backoff(job.attempt))
        job.attempt += 1


def clean_text(text: str, limit: int) -> str:
    """`text` without control or format characters (ANSI escapes, bidi overrides, NULs), whitespace
    collapsed, at most `limit` characters: safe to store and to show in the admin (escaped there)."""
    visible = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    return " ".join(visible.split())[:limit]


def _read_excerpt(response) -> str:
    try:
        head = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except (Urllib3Error, OSError):
        return ""
    return clean_text(head.decode("utf-8", "replace"), EXCERPT_CHARS)


def _post(job, headers):
    """POST the job once; (status, excerpt). Raises UnsafeURL or requests' errors."""
    check_url(job.url)
    seconds = _setting("PUBLISH_WEBHOOK_TIMEOUT", 5)
    # The timeout bounds each socket operation; the deadline bounds the attempt as a whole.
    with transport.deadline(seconds) as watchdog, transport.session() as http:
        try:
            response = http.post(
                job.url,
                data=job.body.encode(),
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


def attempt(job):
    """POST once, log the attempt; return True when it should be retried."""
    secret = _setting("PUBLISH_WEBHOOK_SECRET", "")
    headers = signing.headers(secret, job.message_id, time.time(), job.body)
    headers["User-Agent"] = "PSG-CMS-Webhooks/1"
    status, error, excerpt, retry = None, "", "", False
    try:
        status, excerpt = _post(job, headers)
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
    _record(job, status, error, excerpt, succeeded)
    retry = retry and job.attempt < _setting("PUBLISH_WEBHOOK_MAX_ATTEMPTS", 5)
    if not succeeded:
        logger.warning(
            "Webhook %s to %s failed (attempt %d: %s)%s",
            job.payload["type"],
            job.url,
            job.attempt,
            status or error,
            ", will retry" if retry else "",
        )
    return retry


def _record(job, status, error, excerpt, succeeded):
    row = WebhookDelivery(
        endpoint_url=job.url,
        event_type=job.payload["type"],
        message_id=job.message_id,
        payload=job.payload,
        attempt=job.attempt,
        status_code=status,
        error=error,
        response_excerpt=excerpt,
        succeeded=succeeded,
    )
    try:
        # bulk_create sends no post_save: a log row is not a content change (api.signals would
        # otherwise empty the API response cache on every delivery).
        WebhookDelivery.objects.bulk_create([row])
    except Exception:
        logger.exception("Could not record the webhook delivery %s", job.message_id)


class Worker:
    """One daemon thread working through jobs in due order; retries are re-queued with a delay,
    so one slow endpoint's backoff never holds up other messages."""

    def __init__(self):
        self._jobs = []  # heap of (due monotonic time, sequence, job)
        self._sequence = itertools.count()
        self._condition = threading.Condition()
        self._busy = 0
        self._thread = None

    def submit(self, job, delay=0.0):
        with self._condition:
            heapq.heappush(self._jobs, (time.monotonic() + delay, next(self._sequence), job))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="publish-webhooks", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def _next_job(self):
        with self._condition:
            while True:
                if self._jobs:
                    wait = self._jobs[0][0] - time.monotonic()
                    if wait <= 0:
                        self._busy += 1
                        return heapq.heappop(self._jobs)[2]
                    self._condition.wait(wait)
                else:
                    self._condition.wait()

    def _run(self):
        while True:
            job = self._next_job()
            try:
                if attempt(job):
                    delay = backoff(job.attempt)
                    job.attempt += 1
                    self.submit(job, delay)
            except Exception:
                logger.exception("Webhook worker failed on %s", job.message_id)
            finally:
                close_old_connections()
                with self._condition:
                    self._busy -= 1
                    self._condition.notify_all()

    def wait_until_idle(self, timeout):
        """Block until no job is queued or running (tests); return False on timeout."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._jobs or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True


worker = Worker()
