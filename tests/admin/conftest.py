import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.browser import launch_chromium
from tests.factories import make_site

BROWSER_PASSWORD = "pw-for-the-browser"  # noqa: S105 (test accounts on the live server)


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


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for a module's browser tests (each test opens its own context)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in this thread; the ORM runs here only in
        # fixtures and in the tests' checks, never while the browser waits.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        outside = {alias: connections[alias] for alias in connections}
        with sync_api.sync_playwright() as playwright:
            # Inside Playwright's loop Django hands out fresh connection objects, which lack what the
            # test database keeps for restoring itself after each test (serialized_rollback): keep
            # using the ones from outside.
            for alias, connection in outside.items():
                connections[alias] = connection
            browser = launch_chromium(playwright)
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def demo_site(settings, tmp_path, django_user_model):
    """PSG's demo content as `make run` sets it up, with an Editor, a Moderator and an administrator."""
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("setup_workflows", stdout=io.StringIO())
    for username, group in (("edna", "Editors"), ("morgan", "Moderators")):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", BROWSER_PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    django_user_model.objects.create_superuser("ada", "ada@example.org", BROWSER_PASSWORD)


def signed_in(chromium, base, username, **context_options):
    """A new browser page signed in to the admin at `base` as `username`."""
    page = chromium.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options}).new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", BROWSER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def news_form(**overrides):
    """The news item add/edit form as the admin posts it."""
    data = {
        "title": "Las Bambas: the road blockade resumes",
        "slug": "las-bambas-road-blockade-resumes",
        "publication_date": "20/11/2026",
        "topics": [],  # the ids of the topics ticked
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
    topics = data.pop("topics")  # ticked checkboxes: the name repeated, not a nested list
    return {**nested_form_data(data), "topics": topics}


def event_form(**overrides):
    """The event add/edit form as the admin posts it (dates as editors type them), publishing."""
    data = {
        "title": "Annual conference 2030",
        "slug": "annual-conference-2030",
        "starts_at": "05/11/2030 10:30",
        "ends_at": "05/11/2030 17:00",
        "status": "scheduled",
        "summary": "PSG's annual conference.",
        "venue": "",
        "online_url": "",
        "registration_email": "",
        "registration_url": "",
        "registration_deadline": "",
        "registration_note": "",
        "registration_opens_at": "",
        "registration_capacity": "",
        "form_fields": inline_formset([]),
        "submit_label": "Register",
        "prices": inline_formset([{"label": "Non-members", "amount": "13.00", "currency": "GBP"}]),
        "programme": inline_formset([]),
        "body": streamfield([("paragraph", rich_text("<p>Speakers to be announced.</p>"))]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def pytest_collection_modifyitems(items):
    """Run the browser tests (tests/admin/*_browser.py) last, after pytest-django's own ordering.

    Their live server needs real commits, so the database is flushed afterwards; transactional tests
    that come later without serialized_rollback would no longer find Wagtail's migration rows
    (the default locale, the root page).
    """
    browser = [
        item
        for item in items
        if item.nodeid.startswith("tests/admin/") and item.nodeid.split("::")[0].endswith("_browser.py")
    ]
    if browser:
        items[:] = [item for item in items if item not in browser] + browser
