"""PSG's roles and moderation: the Editors, Moderators and Membership and events groups with what each may do
(cms/roles.py), and a “News and events review” workflow approved by Moderators.

Idempotent: the container's entrypoint runs it after every migrate, `make run` after loading the
demo content. The workflow reaches the news and events sections once they exist.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from cms.roles import MODERATORS, ROLES, set_up
from events.models import EventIndexPage
from news.models import NewsIndexPage

WORKFLOW_NAME = "News and events review"
TASK_NAME = "Moderators approve news and events"


class Command(BaseCommand):
    help = (
        "Create the Editors, Moderators and Membership and events groups with their permissions, "
        "and the news and events moderation workflow on the news and events indexes."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        groups = {role.name: set_up(role) for role in ROLES}
        for role in ROLES:
            self.stdout.write(f"Group “{role.name}”: {role.purpose}")
        moderators = groups[MODERATORS.name]

        task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
        if not task.groups.filter(pk=moderators.pk).exists():
            task.groups.add(moderators)

        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

        assigned = []
        for model in (NewsIndexPage, EventIndexPage):
            for page in model.objects.all():
                WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
                assigned.append(page.title)
        where = ", ".join(assigned) or "no news or events section yet (run this again once they exist)"
        self.stdout.write(f"Workflow “{WORKFLOW_NAME}” assigned to: {where}.")
