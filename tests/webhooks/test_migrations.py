"""The webhook models moved out of the `cms` app without losing a row: a database migrated before
the move, with an endpoint, a delivery and a group allowed to edit endpoints, migrates forward
with all three intact, and the admin lists them."""

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from webhooks.models import WebhookDelivery, WebhookEndpoint

LAST_BEFORE_THE_MOVE = ("cms", "0004_search_entry_text_index")


def refresh_content_types():
    """The process caches content types; the migrations relabelled rows behind the cache. Reload
    every one, not only those used next: the rollback after this test rebuilds Wagtail's workflow
    tasks, whose constructors look theirs up and would create a duplicate on a miss."""
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*django_apps.get_models(), for_concrete_models=False)


def migrate_back_to_before_the_move():
    """Unapply the webhooks app (and cms 0005, which depends on it); the apps of that state."""
    MigrationExecutor(connection).migrate([("webhooks", None)])
    ContentType.objects.clear_cache()
    loader = MigrationExecutor(connection).loader
    assert LAST_BEFORE_THE_MOVE in loader.applied_migrations
    assert not [name for name in loader.applied_migrations if name[0] == "webhooks"]
    nodes = [node for node in loader.graph.leaf_nodes() if node[0] not in ("cms", "webhooks")]
    return loader.project_state([*nodes, LAST_BEFORE_THE_MOVE]).apps


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    refresh_content_types()


def tables():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_survive_the_move_out_of_cms(admin_client):
    old = migrate_back_to_before_the_move()
    assert {"cms_webhookdelivery", "cms_webhookendpoint"} <= tables()
    endpoint = old.get_model("cms", "WebhookEndpoint").objects.create(
        url="https://frontend.example.org/api/revalidate", description="Production site"
    )
    delivery = old.get_model("cms", "WebhookDelivery").objects.create(
        endpoint_url=endpoint.url,
        event_type="page.published",
        message_id="msg_before_the_move",
        payload={"type": "page.published"},
        attempt=1,
        status_code=200,
        succeeded=True,
    )
    old_content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="cms", model="webhookendpoint"
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=old_content_type, codename="change_webhookendpoint"
    )
    group = old.get_model("auth", "Group").objects.create(name="Webhook keepers")
    group.permissions.add(permission)

    migrate_forward()

    assert {"cms_webhookdelivery", "cms_webhookendpoint"} <= tables()  # the same tables, kept
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).description == "Production site"
    moved = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (moved.message_id, moved.status_code, moved.succeeded) == ("msg_before_the_move", 200, True)
    content_type = ContentType.objects.get_for_model(WebhookEndpoint)
    assert (content_type.pk, content_type.app_label) == (old_content_type.pk, "webhooks")
    assert not ContentType.objects.filter(app_label="cms", model__startswith="webhook").exists()
    kept = Group.objects.get(name="Webhook keepers").permissions.get()
    assert kept == Permission.objects.get(content_type=content_type, codename="change_webhookendpoint")
    # New rows get ids after the old ones (the table's sequence came along).
    assert WebhookEndpoint.objects.create(url="https://other.example.org/hooks").pk > endpoint.pk

    log = admin_client.get(reverse("webhook_deliveries:index")).content.decode()
    assert "page.published" in log and endpoint.url in log
    endpoints = admin_client.get(reverse("webhook_endpoints:index")).content.decode()
    assert endpoint.url in endpoints
