"""Without a frontend (FRONTEND_URL empty) the CMS renders pages plainly; the banner says truthfully
whether it shows the published page (“View live”) or a preview of edits."""

import pytest

from tests.admin.conftest import news_form
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

PREVIEW_BANNER = "Preview of your edits, not public until published."
LIVE_BANNER = "The published page."


@pytest.fixture
def no_frontend(settings):
    settings.FRONTEND_URL = ""


def test_view_live_shows_the_published_page_as_published(site, no_frontend, client):
    item = NewsPageFactory(parent=site[1], title="Road blockade resumes", slug="road-blockade")
    content = client.get(item.url).content.decode()
    assert "Road blockade resumes" in content
    assert LIVE_BANNER in content
    assert "Preview" not in content


def test_a_preview_says_it_is_a_preview(site, no_frontend, admin_client):
    item = NewsPageFactory(parent=site[1], title="Road blockade resumes", slug="road-blockade")
    preview_url = f"/admin/pages/{item.id}/edit/preview/"
    data = news_form(title="Road blockade resumes, again", slug="road-blockade")
    assert admin_client.post(preview_url, data).json()["is_valid"]
    content = admin_client.get(preview_url).content.decode()
    assert "Road blockade resumes, again" in content
    assert PREVIEW_BANNER in content and LIVE_BANNER not in content
