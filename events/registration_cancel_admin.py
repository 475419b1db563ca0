"""“Cancel registration” in the Registrations admin: a confirmation page, then the person's place is
cancelled by the registration rules (events/registering.py): the place goes to the first waiting,
who is emailed, and the person is emailed that PSG cancelled it. For those of the Membership and
events group who may delete what people send (cms/personal_data.py). Wired in by
events/registration_admin.py."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.personal_data import may_change_personal_data
from events.registering import Status, cancel_place
from events.registration_emails import Notice
from events.registrations import Registration


def may_cancel(user: Any, registration: Registration) -> bool:
    return may_change_personal_data(user) and registration.status != Status.CANCELLED


class CancelRegistrationView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks; only a POST (with its CSRF token, as every admin form) cancels."""

    page_title = "Cancel registration"
    header_icon = "group"
    template_name = "events/admin/cancel_registration.html"
    http_method_names = ["get", "post"]
    index_url_name = "registrations:index"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_change_personal_data(request.user):
            raise PermissionDenied
        self.registration = get_object_or_404(Registration.objects.select_related("page"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.registration)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Registrations"},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        registration = self.registration
        context.update(
            registration=registration,
            event=registration.page.specific,
            already_cancelled=registration.status == Status.CANCELLED,
            holds_a_place=registration.status == Status.CONFIRMED,
            waiting=registration.page.specific.registration_waiting_list
            and Registration.objects.filter(page_id=registration.page_id, status=Status.WAITLISTED).exists(),
            index_url=reverse(self.index_url_name),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cancellation = cancel_place(self.registration.pk, Notice.CANCELLED_BY_PSG)
        who = self.registration.name or self.registration.email
        if cancellation is None or not cancellation.cancelled_now:
            messages.info(request, f"{who}'s registration was already cancelled: nothing changed.")
        else:
            moved_up = ", ".join(r.name or r.email for r in cancellation.promoted)
            given = f" Its place goes to {moved_up}, who is emailed." if moved_up else ""
            messages.success(request, f"{who}'s registration is cancelled and they are emailed.{given}")
        return redirect(self.index_url_name)
