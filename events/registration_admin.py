"""Registrations in the admin, for the Membership and events group only (cms/personal_data.py):
“Registrations” in the menu (search by name or email, filter by event and place, CSV and Excel
export), counts on the dashboard, and registrations as personal data (export, erasure, retention).
Imported by events/wagtail_hooks.py."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import timezone
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.forms.models import FormSubmission
from wagtail.permission_policies.base import ModelPermissionPolicy

from cms.personal_data import PERSONAL_DATA_HOOK, PersonalDataKind, may_see_personal_data, submission_record
from events.models import EventPage
from events.registering import Status
from events.registration_cancel_admin import CancelRegistrationView, may_cancel
from events.registrations import Registration


class PersonalDataPolicy(ModelPermissionPolicy):
    """Listed, inspected and exported by the group only; edited by nobody here (a place moves only
    through the registration rules: the person's cancel link, “Cancel registration”, erasure)."""

    actions = frozenset({"view"})

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in self.actions and may_see_personal_data(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(actions).none()


def _events_taking_registrations() -> Any:
    return EventPage.objects.filter(registration_form=True).order_by("-starts_at")


class RegistrationFilterSet(WagtailFilterSet):
    event = ModelChoiceFilter(
        label="Event",
        field_name="page",
        queryset=lambda request: _events_taking_registrations(),
        empty_label="Any",
    )
    status = ChoiceFilter(label="Place", choices=Registration.Status.choices, empty_label="Any")

    class Meta:
        model = Registration
        fields: list[str] = []


class RegistrationIndexView(IndexView):
    """Each registration's ⋯ menu: Inspect, and Cancel registration for those who may."""

    def get_list_more_buttons(self, instance: Registration) -> list[Any]:
        buttons: list[Any] = super().get_list_more_buttons(instance)
        if may_cancel(self.request.user, instance):
            url = reverse("registrations:cancel", args=[instance.pk])
            buttons.append(MenuItem("Cancel registration", url=url, icon_name="cross", priority=30))
        return buttons


class RegistrationInspectView(InspectView):
    """A registration's place, then its answers one per row, under the questions' labels."""

    def get_fields_context(self) -> list[dict[str, Any]]:
        place = [self.get_context_for_field(name) for name in self.fields]
        answers = [
            {"label": label, "value": text, "component": None} for label, text in self.object.answer_rows()
        ]
        return [*place, *answers]


class RegistrationViewSet(ModelViewSet):
    """Everyone who registered for events through the site, newest first."""

    model = Registration
    index_view_class = RegistrationIndexView
    icon = "group"
    menu_label = "Registrations"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name", "email", "event_title", "status", "submit_time"]
    list_export = ["name", "email", "event_title", "place", "registered_at", "answers"]
    export_headings = {
        "event_title": "Event",
        "place": "Place",
        "registered_at": "Registered at",
        "answers": "Answers",
    }
    export_filename = "registrations"
    filterset_class = RegistrationFilterSet
    # The database's own search: registrations never enter the site's search index.
    search_fields = ["name", "email"]
    search_backend_name = None
    ordering = ["-submit_time"]
    inspect_view_enabled = True
    inspect_view_class = RegistrationInspectView
    inspect_view_fields = ["name", "email", "status", "submit_time", "status_changed_at"]
    copy_view_enabled = False
    form_fields: list[str] = []  # never used: the policy allows no add or edit

    @property
    def permission_policy(self) -> PersonalDataPolicy:
        return PersonalDataPolicy(Registration)

    def get_queryset(self, request: Any) -> Any:
        return Registration.objects.select_related("page")

    def get_urlpatterns(self) -> list[Any]:
        cancel_view = CancelRegistrationView.as_view()
        return [*super().get_urlpatterns(), path("cancel/<int:pk>/", cancel_view, name="cancel")]


class RegistrationsPanel(Component):
    """For the group: submissions this week and registrations per upcoming event."""

    name = "psg_registrations"
    template_name = "events/admin/registrations_panel.html"
    order = 110

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        week_ago = timezone.now() - datetime.timedelta(days=7)
        context["submissions_this_week"] = FormSubmission.objects.filter(submit_time__gte=week_ago).count()
        context["registrations_this_week"] = Registration.objects.filter(submit_time__gte=week_ago).count()
        counted = {
            status: Count("pk", filter=Q(status=status)) for status in (Status.CONFIRMED, Status.WAITLISTED)
        }
        counts = {
            row["page_id"]: row
            for row in Registration.objects.filter(page__in=self._upcoming())
            .values("page_id")
            .annotate(**counted)
        }
        context["events"] = [
            {
                "event": event,
                "confirmed": counts.get(event.pk, {}).get(Status.CONFIRMED, 0),
                "waitlisted": counts.get(event.pk, {}).get(Status.WAITLISTED, 0),
                "url": f"{reverse('registrations:index')}?event={event.pk}",
            }
            for event in self._upcoming()[:10]
        ]
        return context

    def _upcoming(self) -> Any:
        return _events_taking_registrations().filter(starts_at__gte=timezone.now()).order_by("starts_at")


@hooks.register("register_admin_viewset")
def register_registrations_admin() -> RegistrationViewSet:
    return RegistrationViewSet("registrations")


@hooks.register("construct_homepage_panels")
def add_registrations_panel(request: Any, panels: list[Any]) -> None:
    if may_see_personal_data(request.user):
        panels.append(RegistrationsPanel())


def registrations() -> PersonalDataKind:
    """Registrations are kept until the retention period has passed since both the registration and
    the event's end."""

    def export(email: str) -> list[dict[str, Any]]:
        found = Registration.objects.filter(email__iexact=email.strip()).select_related("page")
        return [{**submission_record(r), "status": r.get_status_display()} for r in found]

    def erase(email: str) -> int:
        # In one transaction: a confirmed place at an event still to come goes to the first waiting
        # as the rows go (events/registering.py), and the person erased is not written to.
        return int(Registration.objects.filter(email__iexact=email.strip()).delete()[0])

    def purge(cutoff: datetime.datetime) -> int:
        ended = EventPage.objects.annotate(ended_at=Coalesce("ends_at", "starts_at")).filter(
            ended_at__lt=cutoff
        )
        expired = Registration.objects.filter(submit_time__lt=cutoff, page__in=ended.values("pk"))
        return int(expired.delete()[0])

    return PersonalDataKind(name="event registrations", export=export, erase=erase, purge=purge)


hooks.register(PERSONAL_DATA_HOOK, registrations)
