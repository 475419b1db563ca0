"""Snippets editors curate, the admin search, and revisions."""

import pytest

from cms.models import NavigationMenu
from tests.factories import NewsPageFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_navigation_menu_is_a_snippet_with_orderable_items(site, admin_client):
    home = site[0]
    response = admin_client.get("/admin/snippets/cms/navigationmenu/add/")
    assert response.status_code == 200
    assert "Menu items" in response.content.decode()
    data = {
        "name": "Main menu",
        "handle": "main",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-label": "Second",
        "items-0-page": str(home.id),
        "items-0-url": "",
        "items-0-ORDER": "2",
        "items-0-id": "",
        "items-0-DELETE": "",
        "items-1-label": "First",
        "items-1-page": "",
        "items-1-url": "https://example.org/",
        "items-1-ORDER": "1",
        "items-1-id": "",
        "items-1-DELETE": "",
    }
    response = admin_client.post("/admin/snippets/cms/navigationmenu/add/", data)
    assert response.status_code == 302, response.context["form"].errors
    menu = NavigationMenu.objects.get(handle="main")
    assert [item.label for item in menu.items.all()] == ["First", "Second"]


@pytest.mark.parametrize("path", ["/admin/snippets/events/venue/", "/admin/snippets/news/topic/"])
def test_venues_and_topics_are_snippets(site, admin_client, path):
    VenueFactory()
    assert admin_client.get(path).status_code == 200
    assert admin_client.get(path + "add/").status_code == 200


def test_join_page_membership_options_are_an_orderable_inline(site, admin_client):
    response = admin_client.get(f"/admin/pages/add/home/joinpage/{site[0].id}/")
    content = response.content.decode()
    assert "Membership options" in content
    assert 'name="membership_options-TOTAL_FORMS"' in content


def test_admin_search_finds_news_by_its_summary(site, admin_client):
    NewsPageFactory(
        parent=site[1],
        title="Road blockade resumes",
        summary="Communities block the mining corridor used by Las Bambas.",
    )
    NewsPageFactory(parent=site[1], title="Unrelated story", summary="Nothing to see.")
    response = admin_client.get("/admin/pages/search/?q=Bambas")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Road blockade resumes" in content
    assert "Unrelated story" not in content


def test_revisions_can_be_compared(site, admin_client):
    item = NewsPageFactory(parent=site[1], title="First title")
    first = item.save_revision()
    first.publish()
    item.title = "Second title"
    second = item.save_revision()
    response = admin_client.get(f"/admin/pages/{item.id}/history/")
    assert response.status_code == 200
    response = admin_client.get(f"/admin/pages/{item.id}/revisions/compare/{first.id}...{second.id}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "First" in content and "Second" in content  # the title's change, as a diff
