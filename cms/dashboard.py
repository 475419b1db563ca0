"""What the admin's dashboard panels may show a user: the content apps' panels share these rules."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

# The actions that make a page appear in the user's page explorer (Wagtail's own listings).
EXPLORE_ACTIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


def may_explore_pages(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `user` sees any page panels (not someone who only manages snippets or users)."""
    return bool(page_permission_policy.user_has_any_permission(user, EXPLORE_ACTIONS))


def visible_to(user: AbstractBaseUser | AnonymousUser, queryset: QuerySet[Page]) -> QuerySet[Page]:
    """Only the pages `user` may see in the page explorer (draft titles included, so nothing else),
    with what their status tags read loaded up front rather than per row."""
    visible: Any = queryset.filter(pk__in=page_permission_policy.explorable_instances(user).values("pk"))
    # PageQuerySet's methods, which a plain QuerySet type does not know.
    annotated: QuerySet[Page] = visible.prefetch_workflow_states().annotate_approved_schedule()
    return annotated
