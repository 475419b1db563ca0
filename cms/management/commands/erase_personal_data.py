"""Deletes everything kept about the person with an email address, when they ask (docs/privacy.md).
A confirmed place at an upcoming event goes to the first on its waiting list."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.management.commands.export_personal_data import checked_email
from cms.personal_data import erase_person, summary


class Command(BaseCommand):
    help = "Delete every form submission and registration sent with one email address."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address the person used on the forms.")

    def handle(self, *args, **options):
        email = checked_email(options["email"])
        with transaction.atomic():
            erased = erase_person(email)
        self.stdout.write(f"Erased {summary(erased) or 'nothing'}.")
