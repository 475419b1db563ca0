"""The delivery task: one attempt of one message at one endpoint. A retry is a new task.

With the database backend (`manage.py db_worker`), a retry waits in the database as a task whose
`run_after` is the backoff later (PUBLISH_WEBHOOK_BACKOFF_SECONDS × 1, 2, 4, 8…), so it survives
a restart of the worker or of the whole stack. A backend that cannot defer a task (django-tasks'
ImmediateBackend, which refuses `run_after`: tests and `make run`) runs the retry straight away,
inside the current one: the attempts then follow each other without a wait, and nothing sleeps in
the request that published.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from webhooks.attempts import Attempt, make

logger = logging.getLogger("webhooks")


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, 4, 8… × the base)."""
    return float(settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))


# The "webhooks" backend (TASKS in cms/settings/base.py): queued in the database in production.
@task(backend="webhooks")
def deliver(url: str, message_id: str, body: str, attempt: int = 1) -> None:
    """POST `body` (the message as first serialised, so every attempt sends the same bytes) to
    `url`; on a connection error, a timeout, a 5xx or a 429, queue the next attempt."""
    current = Attempt(url=url, message_id=message_id, body=body, number=attempt)
    if not make(current):
        return
    if attempt >= settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS:
        logger.warning("Webhook %s to %s: no attempts left after %d", message_id, url, attempt)
        return
    retry = deliver
    if deliver.get_backend().supports_defer:
        retry = deliver.using(run_after=timezone.now() + datetime.timedelta(seconds=backoff(attempt)))
    due = retry.run_after or "now"
    logger.info("Webhook %s to %s: attempt %d queued, due %s", message_id, url, attempt + 1, due)
    retry.enqueue(url, message_id, body, attempt + 1)
