import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import make_site


@pytest.fixture
def site(db):
    call_command("setup_workflows", stdout=io.StringIO())
    return make_site()


def user_in(django_user_model, username, *group_names):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-for-tests")
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def member(site, django_user_model):
    """Someone in Membership and events, with the Editors' page role beside it."""
    return user_in(django_user_model, "mira", "Editors", "Membership and events")


@pytest.fixture
def editor(site, django_user_model):
    return user_in(django_user_model, "edna", "Editors")


@pytest.fixture
def moderator(site, django_user_model):
    return user_in(django_user_model, "morgan", "Moderators")
