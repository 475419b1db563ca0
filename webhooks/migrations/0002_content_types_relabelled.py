"""The moved models' content types take this app's label, so the permissions and admin log entries
that point at them stay attached (the rows keep their ids)."""

from django.db import migrations

MODELS = ("webhookdelivery", "webhookendpoint")


def relabel(source, target):
    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            # A content type already under the target label (post_migrate made it) is left alone.
            if not content_types.filter(app_label=target, model=model).exists():
                content_types.filter(app_label=source, model=model).update(app_label=target)
        ContentType.objects.clear_cache()

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("cms", "0005_webhook_models_moved_to_webhooks"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(relabel("cms", "webhooks"), relabel("webhooks", "cms")),
    ]
