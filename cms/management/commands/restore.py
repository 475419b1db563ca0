"""`make restore BACKUP=backups/<timestamp>`: put a backup made by `manage.py backup` back.

PostgreSQL: `pg_restore --clean --if-exists` into the database in DATABASE_URL, in one
transaction. SQLite: the saved copy replaces the database's contents. Media: media.tar.gz is
unpacked over MEDIA_ROOT (files changed or deleted since come back; files added since stay).
The cache is cleared afterwards, since it may hold answers built from the replaced content.
"""

import json
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup import (
    DUMP_NAME,
    MANIFEST_NAME,
    MEDIA_NAME,
    SQLITE_NAME,
    database_settings,
    is_postgres,
    is_sqlite,
    media_on_disk,
    postgres_env,
    require_binary,
)


class Command(BaseCommand):
    help = "Restore a backup directory made by `manage.py backup` (replaces the current content)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The directory, e.g. backups/20260101T000000Z.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        source = Path(options["backup"])
        if not (source / MANIFEST_NAME).is_file():
            raise CommandError(f"{source} is not a backup directory (no {MANIFEST_NAME}).")
        manifest = json.loads((source / MANIFEST_NAME).read_text())
        db = database_settings()
        if manifest["engine"] != db["ENGINE"]:
            raise CommandError(f"The backup is of a {manifest['engine']} database, not {db['ENGINE']}.")
        if options["interactive"]:
            answer = input(
                f"This replaces the content of database {db['NAME']!r} and the media. Type 'yes': "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")

        connections.close_all()
        if is_postgres(db):
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    require_binary("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    db["NAME"],
                    str(source / DUMP_NAME),
                ],
                env=postgres_env(db),
                check=True,
            )
        elif is_sqlite(db):
            backup = sqlite3.connect(source / SQLITE_NAME)
            live = sqlite3.connect(db["NAME"])
            try:
                backup.backup(live)
            finally:
                live.close()
                backup.close()
        else:
            raise CommandError(f"Cannot restore a {db['ENGINE']} database.")

        if manifest.get("media") and media_on_disk():
            media_root = Path(settings.MEDIA_ROOT)
            media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(source / MEDIA_NAME, "r:gz") as archive:
                archive.extractall(media_root, filter="data")
        elif manifest.get("media"):
            self.stderr.write("Media are not on local disk: media.tar.gz left unrestored.")

        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Restored {source}"))
