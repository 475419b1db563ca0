"""Prints, as JSON, everything kept about the person with an email address: what to send them when
they ask for their data (docs/privacy.md)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email

from cms.personal_data import export_person


def checked_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise CommandError(f"Not an email address: {value!r}.") from exc
    return value


class Command(BaseCommand):
    help = "Print everything kept about one person (form submissions, registrations), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address the person used on the forms.")

    def handle(self, *args, **options):
        data = export_person(checked_email(options["email"]))
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
