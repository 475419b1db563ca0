"""`setup_workflows` makes the Membership and events group: the one group given the permission that
lets people see what is sent through forms; Editors and Moderators are not given it."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms.personal_data import VIEW_PERMISSION, may_see_personal_data
from tests.privacy.conftest import user_in

pytestmark = pytest.mark.django_db


def test_only_the_membership_group_may_see_personal_data(site, django_user_model):
    call_command("setup_workflows", stdout=io.StringIO())  # a second run changes nothing
    app_label, codename = VIEW_PERMISSION.split(".")
    holders = Group.objects.filter(
        permissions__content_type__app_label=app_label, permissions__codename=codename
    )
    assert list(holders.values_list("name", flat=True)) == ["Membership and events"]
    assert Group.objects.get(name="Membership and events").page_permissions.count() == 0
    assert may_see_personal_data(user_in(django_user_model, "mira", "Membership and events"))
    assert not may_see_personal_data(user_in(django_user_model, "edna", "Editors", "Moderators"))
    assert may_see_personal_data(django_user_model.objects.create_superuser("ada", "ada@example.org", "pw"))


def test_the_groups_screen_says_what_the_group_is_for(site, admin_client):
    group = Group.objects.get(name="Membership and events")
    html = admin_client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    assert "See, export and delete what people send through forms" in html
