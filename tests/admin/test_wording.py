"""The admin's words say what they mean: lower-case “Add ticket price”, rows named by their contents,
the event's status apart from publishing's “scheduled”, and no “Show in menus” that does nothing."""

import re

import pytest

from events.models import EventPage
from tests.admin.conftest import event_form
from tests.factories import EventPageFactory, JoinPageFactory

pytestmark = pytest.mark.django_db


def _add_buttons(content):
    return set(re.findall(r'id="id_[a-z_]+-ADD">\s*<svg.*?</svg>\s*(Add [^<]+?)\s*</button>', content, re.S))


@pytest.mark.parametrize(
    "path, buttons",
    [
        (
            "/admin/pages/add/events/eventpage/{events}/",
            {"Add ticket price", "Add programme item", "Add question"},
        ),
        ("/admin/pages/{home}/edit/", {"Add featured page"}),
        ("/admin/pages/add/home/joinpage/{home}/", {"Add reason", "Add membership option", "Add question"}),
        ("/admin/pages/add/formpages/formpage/{home}/", {"Add question"}),
        ("/admin/snippets/cms/navigationmenu/add/", {"Add menu item"}),
        ("/admin/settings/cms/sitesettings/", {"Add social link"}),
    ],
    ids=["event", "home", "join", "form", "menu", "settings"],
)
def test_add_buttons_speak_in_lower_case_and_rows_are_named_by_their_contents(
    site, admin_client, path, buttons
):
    response = admin_client.get(path.format(home=site[0].id, events=site[2].id), follow=True)
    content = response.content.decode()
    assert _add_buttons(content) == buttons
    assert content.count("data-psg-item-title=") == len(buttons)
    assert "cms/item-titles.js" in content


def test_the_event_status_is_named_apart_from_publishing(site, admin_client):
    content = admin_client.get(f"/admin/pages/add/events/eventpage/{site[2].id}/").content.decode()
    assert re.search(r"<label[^>]*for=\"id_status\"[^>]*>\s*Event status", content)
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', content)
    assert ("scheduled", "Going ahead") in options and ("scheduled", "Scheduled") not in options
    # Stored as before (the API's EventStatus enum keeps SCHEDULED).
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{site[2].id}/", event_form())
    assert response.status_code == 302
    assert EventPage.objects.get().status == "scheduled"


def test_the_events_list_shows_the_event_status_beside_the_publishing_status(site, admin_client):
    EventPageFactory(parent=site[2], status="postponed")
    content = admin_client.get("/admin/event_listing/").content.decode()
    assert "Event status" in content and "Postponed" in content


def test_no_show_in_menus_box_which_would_do_nothing(site, admin_client):
    join = JoinPageFactory(parent=site[0])
    for page_id in (site[0].id, site[1].id, join.id):
        content = admin_client.get(f"/admin/pages/{page_id}/edit/").content.decode()
        assert 'name="show_in_menus"' not in content
        assert 'name="seo_title"' in content  # the rest of the Promote tab stays
