"""Editing a navigation menu: its handle stays as the frontend knows it, and a link that is neither a
page nor a web address is refused with a message about the URL."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms.menu_forms import MENU_URL_REFUSED
from cms.models import MenuItem, NavigationMenu

pytestmark = pytest.mark.django_db


def menu_form(name="Main menu", handle="main", items=()):
    data = {
        "name": name,
        "handle": handle,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        row = {"label": "", "page": "", "url": "", "ORDER": str(index + 1), "id": "", "DELETE": "", **item}
        data.update({f"items-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def moderator_client(site, client, django_user_model):
    call_command("setup_workflows", stdout=io.StringIO())
    morgan = django_user_model.objects.create_user("morgan", password="pw")
    morgan.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(morgan)
    return client


def test_a_moderator_gives_a_new_menu_its_handle_but_cannot_change_it_afterwards(moderator_client):
    response = moderator_client.post("/admin/snippets/cms/navigationmenu/add/", menu_form(handle="footer"))
    assert response.status_code == 302
    menu = NavigationMenu.objects.get(handle="footer")
    edit_url = f"/admin/snippets/cms/navigationmenu/edit/{menu.pk}/"
    content = moderator_client.get(edit_url).content.decode()
    assert 'name="handle"' in content and "disabled" in content.split('name="handle"')[1].split(">")[0]
    assert "a site administrator can change it" in content
    response = moderator_client.post(edit_url, menu_form(name="Footer links", handle="renamed"))
    assert response.status_code == 302
    menu.refresh_from_db()
    assert (menu.name, menu.handle) == ("Footer links", "footer")


def test_a_site_administrator_may_change_a_handle(site, admin_client):
    menu = NavigationMenu.objects.create(name="Main menu", handle="main")
    response = admin_client.post(
        f"/admin/snippets/cms/navigationmenu/edit/{menu.pk}/", menu_form(handle="primary")
    )
    assert response.status_code == 302
    menu.refresh_from_db()
    assert menu.handle == "primary"


def _row_errors(response):
    return response.context["form"].formsets["items"].forms[0].errors


def test_an_external_url_that_is_not_a_web_address_is_refused_as_such(moderator_client):
    response = moderator_client.post(
        "/admin/snippets/cms/navigationmenu/add/",
        menu_form(items=[{"label": "Donate", "url": "donate-page"}]),
    )
    assert response.status_code == 200
    assert _row_errors(response) == {"url": [MENU_URL_REFUSED]}
    assert "not both" not in response.content.decode()
    assert not NavigationMenu.objects.exists()


@pytest.mark.parametrize(
    "item, field, message",
    [
        ({"label": "Nothing"}, "page", "Choose a page of this site, or enter an external URL below."),
        (
            {"label": "Both", "page": "HOME", "url": "https://example.org/"},
            "url",
            "Choose a page or enter an external URL, not both: clear one.",
        ),
    ],
    ids=["neither", "both"],
)
def test_a_link_needs_a_page_or_a_url(site, moderator_client, item, field, message):
    item = {**item, "page": str(site[0].id)} if item.get("page") == "HOME" else item
    response = moderator_client.post("/admin/snippets/cms/navigationmenu/add/", menu_form(items=[item]))
    assert response.status_code == 200
    assert _row_errors(response) == {field: [message]}


def test_a_good_external_url_is_saved(moderator_client):
    response = moderator_client.post(
        "/admin/snippets/cms/navigationmenu/add/",
        menu_form(items=[{"label": "Donate", "url": "https://www.example.org/donate"}]),
    )
    assert response.status_code == 302
    assert MenuItem.objects.get().url == "https://www.example.org/donate"
