import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import make_site


@pytest.fixture
def site(db):
    return make_site()


def _user_in(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password="pw-for-tests")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return _user_in(django_user_model, "edna", "Editors")


@pytest.fixture
def moderator(django_user_model):
    return _user_in(django_user_model, "morgan", "Moderators")


def news_form(**overrides):
    """The news item add/edit form as the admin posts it."""
    data = {
        "title": "Las Bambas: the road blockade resumes",
        "slug": "las-bambas-road-blockade-resumes",
        "publication_date": "2026-11-20",
        "topics": "Mining",
        "summary": "Communities along the mining corridor block the road again.",
        "main_image": "",
        "body": streamfield([("paragraph", rich_text("<p>Communities near Las Bambas…</p>"))]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def pytest_collection_modifyitems(items):
    """Run the browser test last (after pytest-django's own ordering, which runs first).

    Its live server needs real commits, so its database is flushed afterwards; transactional tests
    that come later without serialized_rollback would no longer find Wagtail's migration rows
    (the default locale, the root page).
    """
    browser = [item for item in items if item.nodeid.startswith("tests/admin/test_editor_browser.py")]
    if browser:
        items[:] = [item for item in items if item not in browser] + browser
