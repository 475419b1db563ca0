"""Moderation in the admin: what waits for the user's review comes first on the dashboard, and an
approval says what it did (published, scheduled, or passed on to the next step).

Wagtail's dashboard approval (the “Approve” button under “Awaiting your review”) adds no message
and offers no hook with the request, so its view's `post` is wrapped here; an upgrade that changes
it fails tests/admin/test_moderation_overview.py."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.workflow import WorkflowAction
from wagtail.models import Page, TaskState, WorkflowState

from cms.publishing_status import london_time

# Dashboard panels by Wagtail's name: the user's own work first, then the site's news (100+) and
# Wagtail's recent edits (250) and locked pages (300).
FIRST_PANELS = {"workflow_objects_to_moderate": 10, "user_objects_in_workflow_moderation": 20}


@hooks.register("construct_homepage_panels")
def review_panels_first(request, panels):
    for panel in panels:
        if getattr(panel, "name", None) in FIRST_PANELS:
            panel.order = FIRST_PANELS[panel.name]


def approval_message(page: Page, user: AbstractBaseUser | AnonymousUser) -> str | None:
    """What `user`'s approval of `page`'s latest workflow step did, or None if they approved nothing."""
    state = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    if state is None:
        return None
    approved = TaskState.objects.filter(
        workflow_state=state, status=TaskState.STATUS_APPROVED, finished_by=user.pk
    ).exists()
    if not approved:
        return None
    page = Page.objects.get(pk=page.pk).specific
    title = page.get_admin_display_title()
    if state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state:
        return f"Approved “{title}”: it now waits for “{state.current_task_state.task.name}”."
    if state.status != WorkflowState.STATUS_APPROVED:
        return None
    scheduled = page.scheduled_revision
    if scheduled is not None:
        return f"Approved “{title}”: it goes live on {london_time(scheduled.approved_go_live_at)}."
    return f"Approved and published “{title}”."


_workflow_action_post = WorkflowAction.post


def _post_and_confirm_approval(self, request, *args, **kwargs):
    response = _workflow_action_post(self, request, *args, **kwargs)
    if self.action_name == "approve" and isinstance(self.object, Page):
        message = approval_message(self.object, request.user)
        if message:
            messages.success(request, message)
    return response


WorkflowAction.post = _post_and_confirm_approval


@hooks.register("after_edit_page")
def confirm_approval_from_the_editor(request, page):
    # “Approve” from the page editor's menu says only that the page was updated.
    if request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name") == "approve":
        message = approval_message(page, request.user)
        if message:
            messages.success(request, message)
