"""An index on wagtailcore_page.url_path, which Wagtail does not have.

Every public read filters pages by their site root (`url_path LIKE '/home/%'`) and `page(path:)`
looks a page up by its url_path: without an index both scan every page, so the lookup slowed
with the size of the archive. `text_pattern_ops` on PostgreSQL serves the prefix LIKE and equality.
"""

from django.db import migrations

INDEX = "cms_page_url_path_idx"


def create(apps, schema_editor):
    opclass = " text_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (url_path{opclass})")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_webhookdelivery_webhookendpoint"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
