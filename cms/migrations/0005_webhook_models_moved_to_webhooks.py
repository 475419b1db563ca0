"""The webhook models now belong to the `webhooks` app (its 0001 adopts them): state only, the
tables and their rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_search_entry_text_index"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookEndpoint"),
            ],
            database_operations=[],
        ),
    ]
