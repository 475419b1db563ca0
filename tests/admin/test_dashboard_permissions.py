"""The dashboard's panels show only pages the signed-in user may see in the page explorer."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission

from tests.factories import LONDON, EventPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(site):
    _, news_index, events_index = site
    starts = datetime.datetime(2030, 3, 5, 10, 30, tzinfo=LONDON)
    draft_event = EventPageFactory(
        parent=events_index, title="Embargoed vigil at the embassy", starts_at=starts, live=False
    )
    live_event = EventPageFactory(
        parent=events_index, title="Annual conference", starts_at=starts + datetime.timedelta(days=30)
    )
    news = NewsPageFactory(parent=news_index, title="Loreto oil spill update")
    news.save_revision().publish()
    return {"draft_event": draft_event, "live_event": live_event, "news": news}


TITLES = ["Embargoed vigil at the embassy", "Annual conference", "Loreto oil spill update"]


def _admin_user(django_user_model, username, *page_permissions):
    """A user who may use the admin, with `page_permissions` as (page, codename) pairs."""
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for page, codename in page_permissions:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=codename)
        )
    user = django_user_model.objects.create_user(username=username, password="pw-for-tests")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def test_admin_access_alone_shows_no_page_titles(content, django_user_model):
    client = _admin_user(django_user_model, "clerk")
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in TITLES:
        assert title not in page
    assert "Upcoming events" not in page


def test_an_editor_of_news_sees_news_only(content, site, django_user_model):
    client = _admin_user(django_user_model, "newsdesk", (site[1], "add_page"), (site[1], "change_page"))
    page = client.get("/admin/").content.decode()
    assert "Loreto oil spill update" in page
    assert "Embargoed vigil at the embassy" not in page and "Annual conference" not in page
    assert "No upcoming events." in page


def test_an_editor_of_events_sees_the_draft_events(content, site, django_user_model):
    client = _admin_user(django_user_model, "eventsdesk", (site[2], "change_page"))
    page = client.get("/admin/").content.decode()
    assert "Embargoed vigil at the embassy" in page and "Annual conference" in page
    assert "Loreto oil spill update" not in page


def test_an_editor_with_add_permission_sees_the_events_they_own(content, site, django_user_model):
    client = _admin_user(django_user_model, "owner", (site[2], "add_page"))
    owner = django_user_model.objects.get(username="owner")
    EventPageFactory(
        parent=site[2],
        title="Her own draft workshop",
        starts_at=datetime.datetime(2030, 4, 1, 10, 0, tzinfo=LONDON),
        live=False,
        owner=owner,
    )
    page = client.get("/admin/").content.decode()
    assert "Her own draft workshop" in page
    # Wagtail's explorer lists the whole section to someone who may add pages to it.
    assert "Embargoed vigil at the embassy" in page


def test_superusers_still_see_everything(content, admin_client):
    page = admin_client.get("/admin/").content.decode()
    for title in TITLES:
        assert title in page


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_more_items_cost_no_more_queries(content, site, django_user_model):
    client = _admin_user(django_user_model, "desk", (site[1], "change_page"), (site[2], "change_page"))
    before = _dashboard_queries(client)
    for n in range(4):
        EventPageFactory(
            parent=site[2],
            title=f"Extra event {n}",
            starts_at=datetime.datetime(2030, 6, n + 1, 10, 0, tzinfo=LONDON),
        )
        NewsPageFactory(parent=site[1], title=f"Extra news {n}").save_revision().publish()
    page = client.get("/admin/").content.decode()
    assert "Extra event 2" in page and "Extra news 3" in page  # five of each now
    assert _dashboard_queries(client) == before


def test_the_news_and_events_listings_follow_the_same_permissions(content, site, django_user_model):
    clerk = _admin_user(django_user_model, "clerk")
    for listing in ("/admin/news_listing/", "/admin/event_listing/"):
        response = clerk.get(listing)
        assert response.status_code in {302, 403}
        assert "Embargoed vigil" not in response.content.decode()
    newsdesk = _admin_user(django_user_model, "newsdesk", (site[1], "change_page"))
    assert "Loreto oil spill update" in newsdesk.get("/admin/news_listing/").content.decode()
    events = newsdesk.get("/admin/event_listing/")
    assert events.status_code == 200
    assert "Embargoed vigil" not in events.content.decode()
    assert "Annual conference" not in events.content.decode()


# --- Wagtail's page chooser and bulk actions ----------------------------------------------------


def _chooser_pages(client, content, site):
    """Everything the chooser and the bulk-action pages show of the draft event, by every route."""
    draft = content["draft_event"]
    events_index = site[2]
    answers = {
        "browse": client.get(f"/admin/choose-page/{events_index.pk}/"),
        "browse by type": client.get("/admin/choose-page/", {"page_type": "events.eventpage"}),
        "browse under the draft": client.get(f"/admin/choose-page/{draft.pk}/"),
        "search": client.get("/admin/choose-page/search/", {"q": "Embargoed"}),
        "search by type": client.get(
            "/admin/choose-page/search/", {"q": "vigil", "page_type": "events.eventpage"}
        ),
        "chosen": client.get("/admin/choose-page/chosen-multiple/", {"id": [draft.pk]}),
        "bulk delete": client.get("/admin/bulk/wagtailcore/page/delete/", {"id": [draft.pk]}),
        "bulk publish": client.get("/admin/bulk/wagtailcore/page/publish/", {"id": [draft.pk]}),
    }
    return {name: (response.status_code, response.content.decode()) for name, response in answers.items()}


def test_admin_access_alone_shows_no_draft_in_the_page_chooser_or_bulk_actions(
    content, site, django_user_model
):
    client = _admin_user(django_user_model, "clerk")
    answers = _chooser_pages(client, content, site)
    for name, (_status, body) in answers.items():
        assert "Embargoed vigil" not in body, name
    # A hidden page given by id answers like an id that does not exist.
    missing = client.get("/admin/choose-page/999999/").status_code
    assert answers["browse under the draft"][0] == missing == 404
    assert (
        answers["bulk delete"][0] == client.get("/admin/bulk/wagtailcore/page/delete/?id=999999").status_code
    )
    # Public pages can still be chosen (menus link to them).
    assert "Annual conference" in answers["browse"][1]
    assert "Annual conference" in client.get("/admin/choose-page/search/", {"q": "Annual"}).content.decode()


def test_editors_of_a_section_still_choose_its_drafts(content, site, django_user_model):
    client = _admin_user(django_user_model, "eventsdesk", (site[2], "change_page"))
    answers = _chooser_pages(client, content, site)
    for name in ("browse", "browse under the draft", "search", "chosen", "bulk delete"):
        assert answers[name][0] == 200, name
        assert "Embargoed vigil" in answers[name][1], name


def test_superusers_choose_every_page(content, site, admin_client):
    answers = _chooser_pages(admin_client, content, site)
    assert all("Embargoed vigil" in body for _status, body in answers.values())


def test_the_chooser_shows_public_pages_by_their_published_title(content, site, django_user_model):
    live = content["live_event"]
    live.title = "Minister to resign, embargoed"
    live.save_revision()  # a draft with a new title, not published
    clerk = _admin_user(django_user_model, "clerk")
    editor = _admin_user(django_user_model, "eventsdesk", (site[2], "change_page"))
    for client, shown, hidden in (
        (clerk, "Annual conference", "Minister to resign"),
        (editor, "Minister to resign", None),
    ):
        answers = [
            client.get(f"/admin/choose-page/{site[2].pk}/"),
            client.get("/admin/choose-page/search/", {"q": "Annual"}),
            client.get("/admin/choose-page/chosen-multiple/", {"id": [live.pk]}),
        ]
        for response in answers:
            body = response.content.decode()
            assert shown in body
            if hidden:
                assert hidden not in body
