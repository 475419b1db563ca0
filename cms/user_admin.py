"""The admin's Users and Groups screens, with each of PSG's groups shown with what it is for where
people are given their roles (cms.apps.UsersConfig puts these views in place of Wagtail's)."""

from django.contrib.auth.models import Group
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views.groups import GroupViewSet as WagtailGroupViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from cms.roles import purpose_of


def group_with_purpose(group: Group) -> str:
    purpose = purpose_of(group.name)
    return f"{group.name}: {purpose}" if purpose else group.name


class UserCreationWithPurposesForm(UserCreationForm):
    """Wagtail's new-user form, each group's checkbox saying what the group is for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].label_from_instance = group_with_purpose


class UserEditWithPurposesForm(UserEditForm):
    """Wagtail's user form, each group's checkbox saying what the group is for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].label_from_instance = group_with_purpose


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditWithPurposesForm if for_update else UserCreationWithPurposesForm


class GroupWithPurposeForm(GroupForm):
    """Wagtail's group form, saying what one of PSG's groups is for under its name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        purpose = purpose_of(self.instance.name) if self.instance.pk else None
        if purpose:
            self.fields["name"].help_text = (
                f"{purpose} Set up by manage.py setup_workflows at each deployment, which adds back "
                "what this group needs and, if the group is renamed, creates it again."
            )


class GroupViewSet(WagtailGroupViewSet):
    def get_form_class(self, for_update=False):
        return GroupWithPurposeForm
