"""Admin: “Persisted queries” under Settings, for superusers only: the allowlist the frontend's build
registered (name, hash, where it came from, when loaded and last used), a manifest uploaded as
`manage.py load_persisted_queries` loads one, and an operation removed."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic.edit import FormView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy

from api.graphql import manifests
from api.models import PersistedQuery

# A manifest lists a build's operations: a few hundred kilobytes at most.
MAX_MANIFEST_BYTES = 5 * 1024 * 1024


class PersistedQueryPolicy(ModelPermissionPolicy):
    """Active superusers may list, upload manifests and remove; nobody adds or edits an operation by
    hand (a build lists it, and its hash is its text)."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return bool(user.is_active and user.is_superuser and action not in {"add", "change"})

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(actions).filter(is_superuser=True)


class ManifestForm(forms.Form):
    """A manifest file, in either format the command reads, checked before anything is kept."""

    manifest = forms.FileField(
        help_text="graphql-codegen's persisted-documents.json or Apollo's persisted-query-manifest.json, "
        "as the frontend's build writes it."
    )
    replace = forms.BooleanField(
        required=False,
        label="Remove the operations this manifest does not list",
        help_text="For a build that replaces the one before: its old operations stop running.",
    )

    def clean_manifest(self) -> tuple[str, list[manifests.Operation]]:
        upload = self.cleaned_data["manifest"]
        if upload.size > MAX_MANIFEST_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MB.")
        try:
            operations, refused = manifests.read_manifest(upload.read())
        except manifests.ManifestError as exc:
            raise forms.ValidationError(str(exc)) from None
        if refused:
            raise forms.ValidationError(
                [_refusal(problem) for problem in refused]
                + [f"{len(refused)} operation(s) refused; nothing was loaded."]
            )
        return upload.name, operations


def _refusal(problem: manifests.Refused) -> str:
    return f"Refused {problem.where}: {problem.reason}"


class ManifestUploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Loads an uploaded manifest through the command's own code (`api.graphql.manifests.store`)."""

    form_class = ManifestForm
    template_name = "api/persisted_query_upload.html"
    page_title = "Upload a manifest"
    header_icon = "upload"
    permission_policy = PersistedQueryPolicy(PersistedQuery)
    permission_required = "upload"
    index_url_name = ""

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        index = {"url": reverse(self.index_url_name), "label": "Persisted queries"}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["mode"] = settings.GRAPHQL_PERSISTED_QUERIES
        context["index_url"] = reverse(self.index_url_name)
        return context

    def form_valid(self, form: ManifestForm) -> HttpResponse:
        name, operations = form.cleaned_data["manifest"]
        user = self.request.user.get_username()
        stored = manifests.store(
            operations, replace=form.cleaned_data["replace"], source=f"{name} (uploaded by {user})"
        )
        summary = (
            f"{len(operations)} operation(s) listed in {name}: {len(stored.added)} added, "
            f"{len(stored.known)} already loaded"
        )
        if form.cleaned_data["replace"]:
            summary += f", {len(stored.removed)} removed"
        messages.success(self.request, summary + ".")
        return redirect(self.index_url_name)


class PersistedQueryIndexView(IndexView):
    """The allowlist, with a button to upload a manifest."""

    upload_url_name = ""

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        buttons: list[HeaderButton] = list(super().header_buttons)
        if self.user_has_permission("upload"):
            buttons.append(
                HeaderButton("Upload a manifest", url=reverse(self.upload_url_name), icon_name="upload")
            )
        return buttons


class PersistedQueryDeleteView(DeleteView):
    """Removes an operation: from the next request on it no longer runs in allowlist mode."""

    def delete_action(self) -> None:
        sha256_hash = self.object.sha256_hash
        super().delete_action()
        manifests.forget([sha256_hash])


def _short_hash(query: PersistedQuery) -> str:
    return f"{query.sha256_hash[:16]}…"


class PersistedQueryViewSet(ModelViewSet):
    """The operations loaded from the frontend's build: listed, inspected (the document), removed."""

    model = PersistedQuery
    icon = "code"
    menu_label = "Persisted queries"
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = PersistedQueryIndexView
    delete_view_class = PersistedQueryDeleteView
    list_display = [
        "name",
        Column("sha256_hash", label="SHA-256", accessor=_short_hash),
        "source",
        DateColumn("loaded_at", label="Loaded"),
        DateColumn("last_used_at", label="Last used"),
    ]
    inspect_view_fields = ["operation_name", "sha256_hash", "source", "loaded_at", "last_used_at", "document"]
    # The policy refuses the add and edit forms (manifests add operations); the viewset still
    # wants fields to build them from.
    form_fields = ["operation_name"]

    @property
    def permission_policy(self) -> PersistedQueryPolicy:
        return PersistedQueryPolicy(PersistedQuery)

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(
            upload_url_name=self.get_url_name("upload"), **kwargs
        )
        return view_kwargs

    @property
    def upload_view(self) -> Any:
        return ManifestUploadView.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self) -> list[Any]:
        return [*super().get_urlpatterns(), path("upload/", self.upload_view, name="upload")]
