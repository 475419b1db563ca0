"""Admin: “API keys” under Settings, for superusers only: the keys trusted frontends send (named,
with their own rate limit), each shown once when made, revocable; api/api_keys.py checks them.
And “Persisted queries”, the frontend build's allowlist (api/persisted_admin.py); the warnings
about forms on pages (api/forms/admin.py)."""

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from api import api_keys
from api.forms import admin as forms_admin  # noqa: F401 (registers its hooks)
from api.models import ApiKey
from api.persisted_admin import PersistedQueryViewSet


class ApiKeyPolicy(ModelPermissionPolicy):
    """Only active superusers: a key lifts the rate limit, so handing one out is not an editor's call."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(actions).filter(is_superuser=True)


class ApiKeyCreateForm(forms.ModelForm):
    """Names the new key and sets its limit; the key itself is made on save, for the page after."""

    class Meta:
        model = ApiKey
        fields = ["name", "rate_limit"]

    def save(self, commit: bool = True) -> ApiKey:
        key, self.instance.prefix, self.instance.digest = api_keys.new_key()
        # Kept on the form only, for the answer to this request: never stored, never shown again.
        self.key = key
        saved: ApiKey = super().save(commit)
        return saved


class ApiKeyEditForm(forms.ModelForm):
    """Renames a key, changes its limit, or revokes it for good (a leaked key must not come back)."""

    revoke = forms.BooleanField(
        label="Revoked",
        required=False,
        help_text="Refuse this key from the next request on. A revoked key cannot be restored: "
        "make a new one.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "rate_limit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        revoked_at = self.instance.revoked_at
        if revoked_at is not None:
            field = self.fields["revoke"]
            field.initial, field.disabled = True, True
            field.help_text = f"Revoked {timezone.localtime(revoked_at):%d %b %Y, %H:%M}."

    def save(self, commit: bool = True) -> ApiKey:
        if self.cleaned_data["revoke"] and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        saved: ApiKey = super().save(commit)
        return saved


class ApiKeyCreateView(CreateView):
    """Answers a new key with a page showing it, instead of the listing: the only time it is shown."""

    def save_action(self) -> HttpResponseBase:
        context = self.get_context_data()
        context.update(
            header_title="API key created",
            api_key=self.object,
            key=self.form.key,
            index_url=reverse(self.index_url_name),
        )
        response = TemplateResponse(self.request, "api/api_key_created.html", context)
        add_never_cache_headers(response)
        return response


def _rate_limit(api_key: ApiKey) -> str:
    if api_key.rate_limit is None:
        return "No limit"
    return f"{api_key.rate_limit} per {settings.RATE_LIMIT_WINDOW} s"


def _status(api_key: ApiKey) -> str:
    return "Active" if _is_active(api_key) else "Revoked"


def _is_active(api_key: ApiKey) -> bool:
    return api_key.revoked_at is None


class ApiKeyViewSet(ModelViewSet):
    """The keys: listed by name and prefix with their last use; made, edited, revoked, deleted."""

    model = ApiKey
    icon = "key"
    menu_label = "API keys"
    add_to_settings_menu = True
    add_view_class = ApiKeyCreateView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("prefix", label="Key begins"),
        Column("rate_limit", label="Rate limit", accessor=_rate_limit),
        DateColumn("created_at", label="Created"),
        DateColumn("last_used_at", label="Last used"),
        StatusTagColumn("status", label="Status", accessor=_status, primary=_is_active),
    ]

    @property
    def permission_policy(self) -> ApiKeyPolicy:
        return ApiKeyPolicy(ApiKey)

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return ApiKeyEditForm if for_update else ApiKeyCreateForm


@hooks.register("register_admin_viewset")
def register_api_keys_admin() -> ApiKeyViewSet:
    return ApiKeyViewSet("api_keys")


@hooks.register("register_admin_viewset")
def register_persisted_queries_admin() -> PersistedQueryViewSet:
    return PersistedQueryViewSet("persisted_queries")
