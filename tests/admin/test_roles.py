"""PSG's roles: `setup_workflows` makes the Editors and Moderators groups, each reaches what the guide
sends it to (topics and venues; Moderators also menus and site settings), and the admin says what
each group is for where people are given their roles."""

import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from cms.models import NavigationMenu, SiteSettings
from cms.roles import EDITORS, MODERATORS
from events.models import Venue
from news.models import Topic
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db

VENUE_CHOOSER = "/admin/snippets/choose/events/venue/"


def _setup():
    call_command("setup_workflows", stdout=io.StringIO())


def _codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_setup_makes_both_groups_from_nothing_and_is_idempotent(site):
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()
    _setup()
    _setup()
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    assert {("news", "add_topic"), ("events", "add_venue"), ("wagtailadmin", "access_admin")} <= _codenames(
        "Editors"
    )
    assert not {("cms", "change_sitesettings"), ("news", "delete_topic")} & _codenames("Editors")
    assert {("cms", "change_navigationmenu"), ("cms", "change_sitesettings")} <= _codenames("Moderators")
    pages = {
        role: set(group.page_permissions.values_list("permission__codename", flat=True))
        for role, group in (("Editors", editors), ("Moderators", moderators))
    }
    assert pages == {"Editors": {"add_page", "change_page"}, "Moderators": set(MODERATORS.page_permissions)}
    assert editors.page_permissions.count() == len(EDITORS.page_permissions)  # no duplicates on a rerun
    media = set(editors.collection_permissions.values_list("permission__codename", flat=True))
    assert media == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }


def test_setup_keeps_what_an_administrator_added(site):
    _setup()
    editors = Group.objects.get(name="Editors")
    extra = Permission.objects.get(content_type__app_label="news", codename="delete_topic")
    editors.permissions.add(extra)
    _setup()
    assert ("news", "delete_topic") in _codenames("Editors")


def test_editors_add_topics_and_venues_but_not_menus_or_settings(site, client, django_user_model):
    _setup()
    edna = django_user_model.objects.create_user("edna", password="pw")
    edna.groups.add(Group.objects.get(name="Editors"))
    client.force_login(edna)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/snippets/" in dashboard  # Snippets in the sidebar
    assert client.get("/admin/snippets/news/topic/").status_code == 200
    assert client.get("/admin/snippets/events/venue/").status_code == 200
    # A name is all it takes; the slug follows from it.
    response = client.post("/admin/snippets/news/topic/add/", {"name": "Water rights"})
    assert response.status_code == 302
    topic = Topic.objects.get(name="Water rights")
    assert topic.slug == "water-rights"
    assert client.get(f"/admin/snippets/news/topic/delete/{topic.pk}/").status_code != 200
    assert client.get("/admin/snippets/cms/navigationmenu/").status_code != 200
    assert client.get("/admin/settings/cms/sitesettings/").status_code != 200
    assert "/admin/settings/cms/sitesettings/" not in dashboard


def test_moderators_edit_the_menus_and_the_site_settings(site, client, django_user_model):
    _setup()
    morgan = django_user_model.objects.create_user("morgan", password="pw")
    morgan.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(morgan)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/settings/cms/sitesettings/" in dashboard and "/admin/snippets/" in dashboard
    menu = NavigationMenu.objects.create(name="Main menu", handle="main")
    assert client.get(f"/admin/snippets/cms/navigationmenu/edit/{menu.pk}/").status_code == 200
    settings_page = client.get("/admin/settings/cms/sitesettings/", follow=True)
    assert settings_page.status_code == 200
    data = {
        "organisation_name": "Peru Support Group",
        "contact_email": "info@perusupportgroup.org.uk",
        "footer_text": "Registered charity.",
        "social_links-TOTAL_FORMS": "0",
        "social_links-INITIAL_FORMS": "0",
        "social_links-MIN_NUM_FORMS": "0",
        "social_links-MAX_NUM_FORMS": "1000",
    }
    response = client.post(settings_page.request["PATH_INFO"], data)
    assert response.status_code == 302
    assert SiteSettings.objects.get().footer_text == "Registered charity."


def test_the_user_form_says_what_each_group_is_for(site, admin_client, admin_user):
    _setup()
    for path in ("/admin/users/new/", f"/admin/users/edit/{admin_user.pk}/"):
        content = admin_client.get(path).content.decode()
        assert f"Editors: {EDITORS.purpose}" in content
        assert f"Moderators: {MODERATORS.purpose}" in content


def test_the_group_form_says_what_the_group_is_for(site, admin_client):
    _setup()
    editors = Group.objects.get(name="Editors")
    content = admin_client.get(f"/admin/groups/edit/{editors.pk}/").content.decode()
    assert EDITORS.purpose in content
    other = Group.objects.create(name="Form readers")
    assert admin_client.get(f"/admin/groups/edit/{other.pk}/").status_code == 200


def _chooser_html(client):
    response = client.get(VENUE_CHOOSER)
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def test_an_editor_adds_a_venue_from_the_event_forms_chooser(site, client, django_user_model):
    _setup()
    VenueFactory(name="Amnesty International UK")
    edna = django_user_model.objects.create_user("edna", password="pw")
    edna.groups.add(Group.objects.get(name="Editors"))
    client.force_login(edna)
    form_page = client.get(f"/admin/pages/add/events/eventpage/{site[2].id}/").content.decode()
    assert "Choose a venue, or add one." in form_page
    html = _chooser_html(client)
    assert "Add a venue" in html and 'name="postcode"' in html
    response = client.post(
        f"{VENUE_CHOOSER}create/",
        {
            "name": "Friends House",
            "address_line_1": "173 Euston Road",
            "city": "London",
            "postcode": "NW1 2BJ",
            "country": "United Kingdom",
            "url": "",
        },
    )
    assert response.status_code == 200
    chosen = json.loads(response.content)
    venue = Venue.objects.get(name="Friends House")
    assert chosen["step"] == "chosen" and chosen["result"]["id"] == str(venue.pk)
    assert ModelLogEntry.objects.filter(object_id=str(venue.pk), action="wagtail.create", user=edna).exists()


def test_a_venue_missing_its_name_is_refused_in_the_chooser(site, admin_client):
    response = admin_client.post(f"{VENUE_CHOOSER}create/", {"name": "", "country": "United Kingdom"})
    reply = json.loads(response.content)
    assert reply["step"] == "reshow_creation_form"
    assert "This field is required." in reply["htmlFragment"]
    assert not Venue.objects.exists()


def test_who_may_not_add_venues_only_chooses_them(site, client, django_user_model):
    readers = Group.objects.create(name="Readers")
    readers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="events", codename="change_venue"),
    )
    reader = django_user_model.objects.create_user("rhea", password="pw")
    reader.groups.add(readers)
    client.force_login(reader)
    assert "Add a venue" not in _chooser_html(client)
    refused = client.post(f"{VENUE_CHOOSER}create/", {"name": "Sneaky"})
    assert (refused.status_code, refused.url) == (302, "/admin/")  # the admin's “permission denied”
    assert not Venue.objects.filter(name="Sneaky").exists()
