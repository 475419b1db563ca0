"""Typo-tolerant search on PostgreSQL: the pg_trgm extension and a trigram index on page titles.

With the index, titles that nearly match a search (`term <% title`, word similarity) are found
through it rather than by reading every title (api/search.py). Creating an extension needs a
privilege a managed database may not grant: then the migration says so and leaves search without
typo tolerance; `CREATE EXTENSION pg_trgm` by an administrator, and migrating again, adds it.
SQLite has no trigrams: nothing to do there.
"""

import logging

from django.db import migrations, transaction
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

INDEX = "api_page_title_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm could not be created (%s): search works without typo tolerance.", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page USING gin (title gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The extension stays: other schemas or tools may use it.
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_image_preview"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
