"""Admin: who sees what people send (form submissions, event registrations), and “Personal data”
under Settings, where the Membership and events group exports or erases one person's data on
request (docs/privacy.md). Imported by cms/wagtail_hooks.py."""

import json
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from cms.personal_data import (
    DELETE_PERMISSION,
    PERSONAL_DATA_HOOK,
    erase_person,
    export_person,
    form_submissions,
    may_see_personal_data,
    registered_kinds,
    summary,
)


@hooks.register("filter_form_submissions_for_user")
def submissions_only_for_the_group(user: Any, pages: QuerySet[Page]) -> QuerySet[Page]:
    """Wagtail's Forms menu, submissions listings and CSV exports: nothing outside the group."""
    return pages if may_see_personal_data(user) else pages.none()


hooks.register(PERSONAL_DATA_HOOK, form_submissions)


class PersonForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="The address the person used on the forms.")


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """Export or erase everything kept about one email address."""

    page_title = "Personal data"
    header_icon = "user"
    template_name = "cms/admin/personal_data.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_see_personal_data(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PersonForm())
        context["may_erase"] = self.request.user.has_perm(DELETE_PERMISSION)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        email = form.cleaned_data["email"]
        action = request.POST.get("action")
        if action == "export":
            body = json.dumps(export_person(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="personal-data-{timezone.localdate():%Y-%m-%d}.json"'
            )
            return response
        if action != "erase" or not request.user.has_perm(DELETE_PERMISSION):
            raise PermissionDenied
        if request.POST.get("confirm") != "yes":
            counts = {kind.name: len(kind.export(email)) for kind in registered_kinds()}
            return render(
                request,
                "cms/admin/personal_data_erase.html",
                {**self.get_context_data(form=form), "email": email, "counts": counts},
            )
        with transaction.atomic():
            erased = erase_person(email)
        return self.render_to_response(
            self.get_context_data(form=PersonForm(), erased=summary(erased) or "nothing")
        )


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_see_personal_data(request.user)


@hooks.register("register_admin_urls")
def personal_data_urls() -> list[Any]:
    return [path("personal-data/", PersonalDataView.as_view(), name="psg_personal_data")]


@hooks.register("register_settings_menu_item")
def personal_data_menu_item() -> MenuItem:
    return PersonalDataMenuItem("Personal data", reverse("psg_personal_data"), icon_name="user", order=900)
