"""Admin: “Webhooks” in the menu, for superusers only: the endpoints (editable) and the delivery log
(read-only: a list and an inspect view, no add, edit or delete). Wagtail finds it by its name."""

from collections.abc import Collection
from typing import Any

from django.db.models import Model
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy

from webhooks.models import WebhookDelivery, WebhookEndpoint


class SuperuserPolicy(ModelPermissionPolicy):
    """Only active superusers, and only for `actions` (all actions when None)."""

    def __init__(self, model: type[Model], actions: Collection[str] | None = None) -> None:
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user: Any, action: str) -> bool:
        allowed = self.actions is None or action in self.actions
        return bool(allowed and user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(actions).filter(is_superuser=True)


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = "Endpoints"
    form_fields = ["url", "active", "description"]
    list_display = ["url", "active", "description"]
    list_filter = ["active"]
    copy_view_enabled = False

    @property
    def permission_policy(self) -> SuperuserPolicy:
        return SuperuserPolicy(WebhookEndpoint)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "history"
    menu_label = "Delivery log"
    list_display = [
        "created_at",
        "event_type",
        "endpoint_url",
        "attempt",
        "status_code",
        "succeeded",
        "error",
    ]
    list_filter = ["event_type", "succeeded"]
    search_fields = ["endpoint_url", "message_id", "event_type"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields: list[str] = []  # never used: the policy allows no add or edit

    @property
    def permission_policy(self) -> SuperuserPolicy:
        return SuperuserPolicy(WebhookDelivery, actions={"view"})


class WebhooksGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 900
    items = (WebhookEndpointViewSet("webhook_endpoints"), WebhookDeliveryViewSet("webhook_deliveries"))


@hooks.register("register_admin_viewset")
def register_webhooks_admin() -> WebhooksGroup:
    return WebhooksGroup()
