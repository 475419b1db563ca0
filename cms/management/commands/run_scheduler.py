"""The compose `scheduler` service: Wagtail's `publish_scheduled` once a minute, and
`purge_expired_submissions` (personal data past its retention period) when it starts and then once a
day, in one process.

A long-lived process rather than `manage.py publish_scheduled` started anew each minute: the
container needs no cron, and Django starts once. The publish webhooks a scheduled go-live or
expiry triggers are queued in the database like any other (webhooks/tasks.py) and delivered by the
`worker` service, so nothing is lost when this process stops.

Each run also says how far the clock has moved since the last (`schedule_reached`): what the clock
alone changes, with nothing saved (an event ending leaves the upcoming listings), is then named in
a webhook and purged from the cache tier. The last moment checked is kept in the cache, so a
restart catches up on what it missed while it was away (unless the cache lost it meanwhile).
"""

import logging
import time

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from cms.revalidation import schedule_reached

logger = logging.getLogger("cms.scheduler")

# The moment the clock was last checked up to.
CHECKED_KEY = "scheduler:clock-checked-until"


class Command(BaseCommand):
    help = "Run publish_scheduled every --interval seconds (forever, or --iterations times)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between runs (60).")
        parser.add_argument("--iterations", type=int, default=0, help="Stop after this many (0: never).")
        parser.add_argument(
            "--purge-interval",
            type=float,
            default=86_400.0,
            help="Seconds between runs of purge_expired_submissions (a day); the first is at start.",
        )

    def handle(self, *args, **options):
        done = 0
        purged_at: float | None = None
        while True:
            started = time.monotonic()
            if not connection.in_atomic_block:  # (only ever inside one in tests)
                close_old_connections()  # a connection the database dropped meanwhile is replaced
            try:
                call_command("publish_scheduled", verbosity=options["verbosity"])
            except Exception:
                # The database may be away for a moment; the next run catches up.
                logger.exception("publish_scheduled failed")
            try:
                self._clock_moved()
            except Exception:
                logger.exception("The clock's changes were not sent")
            if purged_at is None or started - purged_at >= options["purge_interval"]:
                try:
                    call_command("purge_expired_submissions", stdout=self.stdout)
                    purged_at = started
                except Exception:
                    logger.exception("purge_expired_submissions failed")
            done += 1
            if options["iterations"] and done >= options["iterations"]:
                return
            time.sleep(max(0.0, options["interval"] - (time.monotonic() - started)))

    @staticmethod
    def _clock_moved() -> None:
        until = timezone.now()
        since = cache.get(CHECKED_KEY)
        if since is not None and since < until:
            schedule_reached.send(sender=Command, since=since, until=until)
        cache.set(CHECKED_KEY, until, timeout=None)
