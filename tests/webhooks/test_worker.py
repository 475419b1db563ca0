"""With the database backend (production's), publishing only queues the delivery; `db_worker` sends
it, and a failed attempt leaves its retry in the database, due the backoff later.

`db_worker --batch` runs here in the test process (every task due now, then it returns), with the
clock moved by freezegun; tests/webhooks/test_restart.py runs real worker processes.
"""

import datetime
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.factories import make_site
from tests.webhooks.test_events import _draft_news
from webhooks.models import WebhookDelivery

BACKOFF = 60
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def database_tasks(settings, webhooks):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = BACKOFF
    return webhooks


def run_worker():
    """Run every delivery due now, as `manage.py db_worker` does, then return."""
    # The command installs its own handlers for these (to finish the task in hand); give pytest
    # its own back afterwards.
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command(
            "db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def deliveries():
    return list(DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver").order_by("enqueued_at"))


def publish():
    _, news_index, _ = make_site()
    _draft_news(news_index).save_revision().publish()  # autocommit: the on_commit callback runs now


def attempts_logged():
    rows = WebhookDelivery.objects.order_by("attempt")
    return list(rows.values_list("attempt", "status_code", "succeeded"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_queues_and_the_worker_delivers_then_retries_after_the_backoff(database_tasks):
    database_tasks.statuses = [503, 200]

    publish()

    assert database_tasks.requests == []  # the editor's request only queued it
    [first] = deliveries()
    assert first.status == TaskResultStatus.READY

    run_worker()

    assert database_tasks.types() == ["page.published"]
    assert attempts_logged() == [(1, 503, False)]
    first, retry = deliveries()
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["args"][3] == 2  # the attempt number
    wait = (retry.run_after - first.finished_at).total_seconds()
    assert BACKOFF - 5 < wait <= BACKOFF

    run_worker()  # not due yet
    assert len(database_tasks.requests) == 1

    with freeze_time(timezone.now() + datetime.timedelta(seconds=BACKOFF + 1)):
        run_worker()

    assert database_tasks.types() == ["page.published", "page.published"]
    assert len({r["headers"]["webhook-id"] for r in database_tasks.requests}) == 1
    assert database_tasks.requests[0]["body"] == database_tasks.requests[1]["body"]
    assert attempts_logged() == [(1, 503, False), (2, 200, True)]
    assert [task.status for task in deliveries()] == [TaskResultStatus.SUCCESSFUL] * 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_final_answer_queues_no_retry(database_tasks):
    database_tasks.statuses = [404]

    publish()
    run_worker()

    assert attempts_logged() == [(1, 404, False)]
    assert [task.status for task in deliveries()] == [TaskResultStatus.SUCCESSFUL]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_retry_is_queued_after_the_last_attempt(database_tasks, settings):
    settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 2
    database_tasks.statuses = [503, 503, 503]

    publish()
    run_worker()
    with freeze_time(timezone.now() + datetime.timedelta(seconds=BACKOFF + 1)):
        run_worker()

    assert attempts_logged() == [(1, 503, False), (2, 503, False)]
    assert len(deliveries()) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_without_the_secret_logs_why_and_sends_nothing(database_tasks, settings):
    publish()  # queued with the secret set, as the app server has it
    settings.PUBLISH_WEBHOOK_SECRET = ""  # the worker's environment lacks it

    run_worker()

    assert database_tasks.requests == []
    [row] = WebhookDelivery.objects.all()
    assert not row.succeeded and row.status_code is None
    assert row.error.startswith("Not sent: PUBLISH_WEBHOOK_SECRET is not set")
    assert len(deliveries()) == 1  # not retried
