"""The admin's Webhooks menu: endpoints and the delivery log, for superusers only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from webhooks.models import WebhookDelivery


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_delivery_log_is_for_admins_only(client, django_user_model):
    row = WebhookDelivery.objects.create(
        endpoint_url="https://frontend.test/api/revalidate",
        event_type="page.published",
        message_id="msg_1",
        payload={"type": "page.published"},
        attempt=1,
        status_code=200,
        succeeded=True,
    )
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    editor = django_user_model.objects.create_user("edna", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))

    _client_for(client, admin)
    index = client.get(reverse("webhook_deliveries:index"))
    assert index.status_code == 200
    assert "https://frontend.test/api/revalidate" in index.content.decode()
    assert client.get(reverse("webhook_deliveries:inspect", args=[row.pk])).status_code == 200
    assert client.get(reverse("webhook_endpoints:index")).status_code == 200
    assert client.get(reverse("webhook_deliveries:add")).status_code in (302, 403)
    assert client.get(reverse("webhook_deliveries:edit", args=[row.pk])).status_code in (302, 403)

    _client_for(client, editor)
    for url in (reverse("webhook_deliveries:index"), reverse("webhook_endpoints:index")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] != url
    assert "webhook" not in client.get("/admin/").content.decode().lower()
