"""A pending retry survives a restart of the worker: real processes on one database.

A process publishes a page (as the app server does: the delivery is only queued), a `db_worker`
process makes the first attempt, which the receiver answers 503, and queues the retry; that worker
is stopped before the retry is due; a new worker process delivers it. The processes share a copy
of the test database (an SQLite file, or a PostgreSQL database when DATABASE_URL names one), read
here directly. They run `cms.settings.dev`, whose webhooks may reach the receiver on 127.0.0.1
(production refuses internal addresses), with TASKS_BACKEND=database as production has it.
"""

import contextlib
import datetime
import os
import signal
import sqlite3
import subprocess
import time

from tests.ops.conftest import BIN, ROOT, served_database_url  # noqa: F401  (a fixture)
from tests.webhooks.receiver import SECRET

BACKOFF = 5  # seconds from the failed attempt to its retry: long enough to restart in between
PUBLISH = """
from tests.factories import NewsPageFactory, make_site
_, news_index, _ = make_site()
NewsPageFactory(parent=news_index, live=False, slug="oil-spill", title="Oil spill").save_revision().publish()
"""


class SharedDatabase:
    """The database the processes share, read as they leave it (no transaction of this process)."""

    def __init__(self, url):
        self.url = url

    def rows(self, sql):
        if self.url.startswith("sqlite:///"):
            with contextlib.closing(sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=10)) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql).fetchall()

    def deliveries_queued(self):
        """(status, run_after) of every delivery task, oldest first."""
        rows = self.rows(
            "SELECT status, run_after FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = 'webhooks.tasks.deliver' ORDER BY enqueued_at"
        )
        return [(status, aware(run_after)) for status, run_after in rows]

    def delivery_log(self):
        rows = self.rows("SELECT attempt, status_code, succeeded FROM cms_webhookdelivery ORDER BY attempt")
        return [(attempt, status, bool(succeeded)) for attempt, status, succeeded in rows]


def aware(value):
    """A datetime column as SQLite (ISO text, UTC) or psycopg (aware datetime) returns it."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


class Worker:
    """`manage.py db_worker` as a process; stopped with SIGTERM, as `docker stop` stops it."""

    def __init__(self, env, log_path):
        self.env, self.log_path = env, log_path

    def __enter__(self):
        command = [
            str(BIN / "python"),
            "manage.py",
            "db_worker",
            "--backend",
            "webhooks",
            "--interval",
            "0.2",
            "--no-startup-delay",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [*command, "--no-reload"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log(self):
        return self.log_path.read_text(errors="replace")


def wait_for(condition, timeout, explain):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.1)


def test_a_pending_retry_survives_a_worker_restart(served_database_url, receiver, tmp_path):  # noqa: F811
    receiver.statuses = [503]  # then 200
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": served_database_url,
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PUBLISH_WEBHOOK_URLS": receiver.url,
        "PUBLISH_WEBHOOK_SECRET": SECRET,
        "PUBLISH_WEBHOOK_DEV_HOSTS": "127.0.0.1",
        "PUBLISH_WEBHOOK_BACKOFF_SECONDS": str(BACKOFF),
    }
    database = SharedDatabase(served_database_url)
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", PUBLISH],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    assert receiver.requests == []  # publishing only queued the delivery
    assert [status for status, _ in database.deliveries_queued()] == ["READY"]

    first = Worker(env, tmp_path / "first-worker.log")
    with first:
        wait_for(lambda: len(receiver.requests) == 1, 60, first.log)
        wait_for(lambda: len(database.deliveries_queued()) == 2, 10, first.log)
    stopped_at = datetime.datetime.now(datetime.UTC)
    assert first.process.returncode == 0, first.log()

    # The retry waits in the database, due after the stop: the first worker never sent it.
    [(first_status, _), (retry_status, retry_due)] = database.deliveries_queued()
    assert (first_status, retry_status) == ("SUCCESSFUL", "READY")
    assert stopped_at < retry_due, "the first worker was stopped after the retry was due"
    assert len(receiver.requests) == 1
    assert database.delivery_log() == [(1, 503, False)]

    second = Worker(env, tmp_path / "second-worker.log")
    with second:
        wait_for(lambda: len(receiver.requests) == 2, BACKOFF + 60, second.log)
        wait_for(lambda: len(database.delivery_log()) == 2, 10, second.log)

    assert database.delivery_log() == [(1, 503, False), (2, 200, True)]
    assert receiver.types() == ["page.published", "page.published"]  # both verify
    assert len({request["headers"]["webhook-id"] for request in receiver.requests}) == 1
    assert [status for status, _ in database.deliveries_queued()] == ["SUCCESSFUL", "SUCCESSFUL"]
