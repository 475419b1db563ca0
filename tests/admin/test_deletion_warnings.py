"""Deleting a page or a topic says first what else goes with it: menu links, the home page's
featured slots, the topic on news items. Those changes are live at once, with no version to restore."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cms.models import MenuItem, NavigationMenu
from home.models import HomePageFeaturedPage
from news.models import Topic
from tests.factories import NewsPageFactory, StandardPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


def warnings_on(response):
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]


@pytest.fixture
def aims(site):
    home = site[0]
    aims = StandardPageFactory(parent=home, title="PSG Aims", slug="psg-aims")
    StandardPageFactory(parent=aims, title="Our history", slug="history")
    return aims


def test_deleting_a_page_names_the_menu_links_going_with_it(admin_client, aims):
    main = NavigationMenu.objects.create(name="Main menu", handle="main")
    footer = NavigationMenu.objects.create(name="Footer", handle="footer")
    MenuItem.objects.create(menu=main, page=aims, label="", sort_order=0)
    MenuItem.objects.create(menu=footer, page=aims.get_children().get(), label="History", sort_order=0)
    MenuItem.objects.create(menu=footer, url="https://example.org/", label="Elsewhere", sort_order=1)

    warnings = warnings_on(admin_client.get(reverse("wagtailadmin_pages:delete", args=[aims.pk])))

    assert warnings == [
        "Deleting it also removes the 2 menu links: “History (Footer)”, “PSG Aims (Main menu)”. "
        "This is live at once and cannot be undone."
    ]
    # Only said: the menus are untouched until the editor confirms.
    assert MenuItem.objects.count() == 3


def test_deleting_a_page_names_the_home_pages_featured_slots(admin_client, site, aims):
    home = site[0]
    HomePageFeaturedPage.objects.create(home_page=home, page=aims, sort_order=0)
    warnings = warnings_on(admin_client.get(reverse("wagtailadmin_pages:delete", args=[aims.pk])))
    assert warnings == [
        "Deleting it also removes the home page's featured slot: “PSG Aims”. "
        "This is live at once and cannot be undone."
    ]


def test_a_page_nothing_points_at_gets_no_warning(admin_client, aims):
    MenuItem.objects.create(
        menu=NavigationMenu.objects.create(name="Main menu", handle="main"),
        url="https://example.org/",
        label="x",
    )
    assert warnings_on(admin_client.get(reverse("wagtailadmin_pages:delete", args=[aims.pk]))) == []


def test_deleting_removes_what_was_named(admin_client, site, aims):
    main = NavigationMenu.objects.create(name="Main menu", handle="main")
    MenuItem.objects.create(menu=main, page=aims, label="", sort_order=0)
    HomePageFeaturedPage.objects.create(home_page=site[0], page=aims, sort_order=0)
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[aims.pk]))
    assert response.status_code == 302
    assert not MenuItem.objects.exists()
    assert not HomePageFeaturedPage.objects.exists()


def test_deleting_a_topic_names_the_news_items_it_leaves(admin_client, site):
    news_index = site[1]
    mining = TopicFactory(name="Mining", slug="mining")
    for day, title in ((3, "Conga protests"), (9, "Las Bambas talks")):
        page = NewsPageFactory(parent=news_index, title=title, publication_date=datetime.date(2016, 10, day))
        page.topics.add(mining)
        page.save()
    NewsPageFactory(parent=news_index, title="Elections", publication_date=datetime.date(2016, 10, 5))

    url = reverse("wagtailsnippets_news_topic:delete", args=[mining.pk])
    warnings = warnings_on(admin_client.get(url))

    assert warnings == [
        "Deleting it also removes its topic from the 2 news items, live ones included: "
        "“Las Bambas talks”, “Conga protests”. This is live at once and cannot be undone."
    ]
    assert Topic.objects.filter(pk=mining.pk).exists()
