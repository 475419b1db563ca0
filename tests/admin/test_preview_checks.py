"""The admin's own preview carries Wagtail's userbar, which runs the Checks panel's content checks.

That the panel then counts the words is checked in Chromium (tests/admin/test_editor_browser.py).
"""

import pytest

from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def test_the_preview_panel_rendering_carries_the_content_checker(site, admin_client, settings):
    settings.FRONTEND_URL = ""
    page = NewsPageFactory(parent=site[1], title="Road blockade resumes")
    url = f"/admin/pages/{page.id}/edit/preview/"
    form = {
        "title": "Road blockade resumes",
        "slug": page.slug,
        "publication_date": "2026-11-20",
        "summary": "Communities block the road again.",
        "body-count": "0",
        "topics": "",
        "main_image": "",
    }
    assert admin_client.post(url, form).json()["is_valid"] is True

    html = admin_client.get(url, {"in_preview_panel": "true"}).content.decode()

    assert "Road blockade resumes" in html
    assert "<wagtail-userbar>" in html
    assert 'id="checker-axe-configuration"' in html
