"""`make backup`: the database and the media files, into backups/<timestamp>/.

PostgreSQL: `pg_dump --format=custom` of the database in DATABASE_URL (database.dump).
SQLite: a consistent copy through SQLite's online backup API (db.sqlite3).
Media on local disk: MEDIA_ROOT as media.tar.gz. Media on S3 is not copied (use the bucket's
versioning or replication); the manifest says so.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

DUMP_NAME = "database.dump"
SQLITE_NAME = "db.sqlite3"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


def database_settings(alias="default"):
    return connections[alias].settings_dict


def is_postgres(db):
    return db["ENGINE"] == "django.db.backends.postgresql"


def is_sqlite(db):
    return db["ENGINE"] == "django.db.backends.sqlite3"


def postgres_env(db):
    """libpq's variables for `db`, so no password appears on a command line."""
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    sslmode = db.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def require_binary(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (the PostgreSQL client tools are needed).")
    return path


def media_on_disk():
    return isinstance(default_storage, FileSystemStorage)


class Command(BaseCommand):
    help = "Back up the database and media into backups/<timestamp>/ (see docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", help="Parent directory (default: backups).")

    def handle(self, *args, **options):
        db = database_settings()
        if is_sqlite(db) and not Path(db["NAME"]).is_file():
            raise CommandError(f"No SQLite database at {db['NAME']}.")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(options["output_dir"]) / stamp
        suffix = 1
        while target.exists():
            suffix += 1
            target = Path(options["output_dir"]) / f"{stamp}-{suffix}"
        target.mkdir(parents=True)

        manifest = {"created": datetime.now(UTC).isoformat(), "engine": db["ENGINE"]}
        if is_postgres(db):
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    require_binary("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(target / DUMP_NAME),
                ],
                env=postgres_env(db),
                check=True,
            )
            manifest["database"] = DUMP_NAME
        elif is_sqlite(db):
            source = sqlite3.connect(db["NAME"])
            dest = sqlite3.connect(target / SQLITE_NAME)
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
            manifest["database"] = SQLITE_NAME
        else:
            raise CommandError(f"Cannot back up a {db['ENGINE']} database.")

        if media_on_disk():
            media_root = Path(settings.MEDIA_ROOT)
            with tarfile.open(target / MEDIA_NAME, "w:gz") as archive:
                if media_root.is_dir():
                    for child in sorted(media_root.iterdir()):
                        archive.add(child, arcname=child.name)
            manifest["media"] = MEDIA_NAME
        else:
            manifest["media"] = None
            self.stderr.write(
                "Media are not on local disk (S3?): not copied; rely on the bucket's versioning."
            )

        (target / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(str(target))
