"""A GIN index on the expression Wagtail's PostgreSQL search backend matches against.

Wagtail indexes `title` and `body` of wagtailsearch_indexentry separately, but its queries match
`title || body @@ query`, which neither index serves: every search read every entry. With this
index PostgreSQL finds the matching entries directly (ranking them still costs per match).
SQLite searches through its own FTS table: nothing to do there.
"""

from django.db import migrations

INDEX = "cms_search_entry_text_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_page_url_path_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
