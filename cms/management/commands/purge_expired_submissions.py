"""Deletes the form submissions and event registrations whose retention period has ended
(FORMS_RETENTION_DAYS; docs/privacy.md). Meant to run daily (docs/deploy.md); running it again
deletes nothing more."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from cms.personal_data import purge_expired, summary


class Command(BaseCommand):
    help = "Delete form submissions and event registrations kept longer than FORMS_RETENTION_DAYS."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            deleted = purge_expired()
        days = settings.FORMS_RETENTION_DAYS
        self.stdout.write(f"Kept for {days} days; deleted {summary(deleted) or 'nothing'}.")
