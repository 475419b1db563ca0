"""Put news and events under moderation: a “News and events review” workflow approved by Moderators.

Idempotent; run after load_demo_content (`make run` does). Wagtail's own migrations create the
Editors group (may add and edit pages, not publish) and the Moderators group (may publish).
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from events.models import EventIndexPage
from news.models import NewsIndexPage

WORKFLOW_NAME = "News and events review"
TASK_NAME = "Moderators approve news and events"


class Command(BaseCommand):
    help = "Create the news and events moderation workflow and assign it to the news and events indexes."

    @transaction.atomic
    def handle(self, *args, **options):
        moderators, _ = Group.objects.get_or_create(name="Moderators")
        Group.objects.get_or_create(name="Editors")

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
        where = ", ".join(assigned) if assigned else "no pages yet (run load_demo_content first)"
        self.stdout.write(f"Workflow “{WORKFLOW_NAME}” assigned to: {where}.")
