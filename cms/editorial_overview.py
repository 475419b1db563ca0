"""What is scheduled and what waits as a draft, with go-live times: a dashboard panel and a report
under Reports, over every page the user may work on."""

from django.forms import RadioSelect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.ui.tables.pages import PageStatusColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_content_types
from wagtail.permissions import page_permission_policy

from cms.dashboard import EXPLORE_ACTIONS, may_explore_pages, visible_to
from cms.publishing_status import (
    DRAFT,
    SCHEDULED,
    STATUS_CHOICES,
    PublishingStatusFilter,
    awaiting_publication,
    draft_go_live,
    london_time,
)

TITLE = "Scheduled and drafts"
PANEL_ROWS = 10


def pending_pages(user):
    """The scheduled pages and drafts `user` may work on, the next to go live first."""
    pages = visible_to(user, Page.objects.filter(depth__gt=1))
    return awaiting_publication(pages).select_related("content_type", "latest_revision__user")


def with_go_live_text(pages):
    """Each of `pages` with `go_live`: when it goes live, or when its draft asks to once published."""
    asked = draft_go_live(pages)
    for page in pages:
        if page.scheduled_go_live_at:
            page.go_live = london_time(page.scheduled_go_live_at)
        elif page.pk in asked:
            page.go_live = f"{london_time(asked[page.pk])} once published"
        else:
            page.go_live = ""
    return pages


def _edited_by(page):
    user = page.latest_revision.user if page.latest_revision else None
    return (user.get_full_name() or user.get_username()) if user else ""


class ScheduledAndDraftsPanel(Component):
    """The next pages to go live and the latest drafts, on the dashboard, with a link to the report."""

    name = "psg_scheduled_and_drafts"
    template_name = "cms/admin/scheduled_and_drafts_panel.html"
    # After the user's reviews (cms/moderation_admin.py), before upcoming events and news.
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pending = pending_pages(parent_context["request"].user)
        context["pages"] = with_go_live_text(list(pending[:PANEL_ROWS]))
        context["total"] = pending.count() if len(context["pages"]) == PANEL_ROWS else len(context["pages"])
        context["report_url"] = reverse("psg_scheduled_and_drafts")
        return context


@hooks.register("construct_homepage_panels")
def add_scheduled_and_drafts_panel(request, panels):
    if may_explore_pages(request.user):
        panels.append(ScheduledAndDraftsPanel())


class ScheduledAndDraftsFilterSet(WagtailFilterSet):
    """Scheduled or draft, and the kind of page."""

    publishing = PublishingStatusFilter(
        widget=RadioSelect, choices=[choice for choice in STATUS_CHOICES if choice[0] in (DRAFT, SCHEDULED)]
    )
    content_type = ContentTypeFilter(
        label="Type", queryset=lambda request: get_page_content_types(include_base_page_type=False)
    )

    class Meta:
        model = Page
        fields: list[str] = []


class ScheduledAndDraftsReport(ReportView):
    """Every scheduled page and draft the user may work on, with when each goes live."""

    page_title = TITLE
    header_icon = "time"
    permission_policy = page_permission_policy
    any_permission_required = EXPLORE_ACTIONS
    filterset_class = ScheduledAndDraftsFilterSet
    index_url_name = "psg_scheduled_and_drafts"
    index_results_url_name = "psg_scheduled_and_drafts_results"
    columns = [
        TitleColumn(
            "title", label="Title", accessor="get_admin_display_title", url_name="wagtailadmin_pages:edit"
        ),
        Column("type", label="Type", accessor="page_type_display_name"),
        PageStatusColumn("status", label="Status"),
        Column("go_live", label="Goes live"),
        DateColumn("latest_revision_created_at", label="Last edited"),
        Column("edited_by", label="Last edited by", accessor=_edited_by),
    ]
    list_export = [
        "get_admin_display_title",
        "page_type_display_name",
        "status_string",
        "go_live",
        "latest_revision_created_at",
    ]
    export_headings = {
        "get_admin_display_title": "Title",
        "page_type_display_name": "Type",
        "status_string": "Status",
        "go_live": "Goes live",
        "latest_revision_created_at": "Last edited",
    }
    custom_field_preprocess = {"latest_revision_created_at": {ReportView.FORMAT_CSV: london_time}}

    def get_filename(self):
        return "scheduled-and-drafts"

    def get_queryset(self):
        self.queryset = pending_pages(self.request.user)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        return with_go_live_text(list(object_list))


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_explore_pages(request.user)


@hooks.register("register_admin_urls")
def scheduled_and_drafts_urls():
    return [
        path("scheduled-and-drafts/", ScheduledAndDraftsReport.as_view(), name="psg_scheduled_and_drafts"),
        path(
            "scheduled-and-drafts/results/",
            ScheduledAndDraftsReport.as_view(results_only=True),
            name="psg_scheduled_and_drafts_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def scheduled_and_drafts_menu_item():
    return ReportMenuItem(
        TITLE, reverse("psg_scheduled_and_drafts"), name="scheduled-and-drafts", icon_name="time", order=50
    )
