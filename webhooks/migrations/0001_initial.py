"""The webhook models move here from the `cms` app, which created their tables (cms 0002).

State only: the tables and their rows stay where they are, under their names (`db_table`; see
models.py); cms 0005 drops the models from the cms app's state, 0002 here relabels their content
types.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cms", "0004_search_entry_text_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("endpoint_url", models.URLField(max_length=500, verbose_name="endpoint URL")),
                        ("event_type", models.CharField(max_length=50)),
                        ("message_id", models.CharField(db_index=True, max_length=64)),
                        ("payload", models.JSONField()),
                        ("attempt", models.PositiveSmallIntegerField()),
                        ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                        ("response_excerpt", models.TextField(blank=True)),
                        ("succeeded", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "verbose_name": "webhook delivery",
                        "verbose_name_plural": "webhook deliveries",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "cms_webhookdelivery",
                    },
                ),
                migrations.CreateModel(
                    name="WebhookEndpoint",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("url", models.URLField(help_text="Receives a signed POST per change.", max_length=500, unique=True, verbose_name="URL")),
                        ("active", models.BooleanField(default=True, help_text="Untick to stop sending without deleting it.")),
                        ("description", models.CharField(blank=True, help_text="What it is, e.g. “Production site”.", max_length=255)),
                    ],
                    options={
                        "verbose_name": "webhook endpoint",
                        "ordering": ["url"],
                        "db_table": "cms_webhookendpoint",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
