"""Site-wide queries the frontend makes on every page: settings, menus and the home page."""

import datetime

import pytest
from wagtail.models import Site

from cms.models import MenuItem, NavigationMenu, SiteSettings, SocialLink
from home.models import HomePageFeaturedPage
from tests.factories import LONDON, EventPageFactory, NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site()


SETTINGS = "{ siteSettings { organisationName contactEmail footerText socialLinks { platform url } } }"


def test_site_settings_defaults_when_editors_set_nothing(gql, site):
    assert gql(SETTINGS)["siteSettings"] == {
        "organisationName": "Peru Support Group",
        "contactEmail": None,
        "footerText": None,
        "socialLinks": [],
    }


def test_site_settings_as_editors_set_them(gql, site):
    settings = SiteSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        organisation_name="PSG",
        contact_email="info@perusupportgroup.org.uk",
        footer_text="Registered charity.",
    )
    SocialLink.objects.create(settings=settings, platform="bluesky", url="https://bsky.app/psg", sort_order=0)
    SocialLink.objects.create(
        settings=settings, platform="facebook", url="https://facebook.com/psg", sort_order=1
    )
    assert gql(SETTINGS)["siteSettings"] == {
        "organisationName": "PSG",
        "contactEmail": "info@perusupportgroup.org.uk",
        "footerText": "Registered charity.",
        "socialLinks": [
            {"platform": "bluesky", "url": "https://bsky.app/psg"},
            {"platform": "facebook", "url": "https://facebook.com/psg"},
        ],
    }


MENU = '{ menu(handle: "main") { handle name items { label url path page { __typename title } } } }'


def test_main_menu_links_pages_by_frontend_path_and_keeps_external_urls(gql, site):
    home, news_index, events_index = site
    draft = StandardPageFactory(parent=home, title="Draft", slug="draft")
    draft.unpublish()
    menu = NavigationMenu.objects.create(name="Main menu", handle="main")
    MenuItem.objects.create(menu=menu, page=news_index, sort_order=0)
    MenuItem.objects.create(menu=menu, page=draft, label="Hidden", sort_order=1)
    MenuItem.objects.create(menu=menu, page=events_index, label="What's on", sort_order=2)
    MenuItem.objects.create(menu=menu, url="https://shop.example.org/", label="Shop", sort_order=3)
    assert gql(MENU)["menu"] == {
        "handle": "main",
        "name": "Main menu",
        "items": [
            {
                "label": "News",
                "url": "https://frontend.test/news/",
                "path": "/news/",
                "page": {"__typename": "NewsIndexPage", "title": "News"},
            },
            {
                "label": "What's on",
                "url": "https://frontend.test/events/",
                "path": "/events/",
                "page": {"__typename": "EventIndexPage", "title": "Events"},
            },
            {"label": "Shop", "url": "https://shop.example.org/", "path": None, "page": None},
        ],
    }


def test_unknown_menu_is_null(gql, site):
    assert gql('{ menu(handle: "footer") { handle } }')["menu"] is None


HOME = "{ home { title heroHeading featuredPages { title } latestNews { title } upcomingEvents { title } } }"


def test_home_latest_news_is_the_newest_three(gql, site):
    _home, news_index, _events_index = site
    for day, title in [(3, "Third"), (1, "First"), (5, "Fifth"), (4, "Fourth"), (2, "Second")]:
        NewsPageFactory(parent=news_index, title=title, publication_date=datetime.date(2019, 1, day))
    NewsPageFactory(parent=news_index, title="Draft", publication_date=datetime.date(2019, 2, 1)).unpublish()
    home = gql(HOME)["home"]
    assert home["title"] == "Peru Support Group"
    assert home["heroHeading"] == "Human rights, development and justice in Peru"
    assert [item["title"] for item in home["latestNews"]] == ["Fifth", "Fourth", "Third"]


def test_home_upcoming_events_are_the_next_three(gql, site):
    _home, _news_index, events_index = site
    for year in (2033, 2016, 2031, 2030, 2032):
        EventPageFactory(
            parent=events_index,
            title=f"Conference {year}",
            starts_at=datetime.datetime(year, 11, 5, 10, 30, tzinfo=LONDON),
            ends_at=datetime.datetime(year, 11, 5, 17, 0, tzinfo=LONDON),
        )
    home = gql(HOME)["home"]
    assert [item["title"] for item in home["upcomingEvents"]] == [
        "Conference 2030",
        "Conference 2031",
        "Conference 2032",
    ]


def test_home_featured_pages_in_editor_order_only_public(gql, site):
    home, news_index, events_index = site
    aims = StandardPageFactory(parent=home, title="PSG Aims")
    draft = StandardPageFactory(parent=home, title="Draft page")
    draft.unpublish()
    story = NewsPageFactory(parent=news_index, title="Loreto oil spills")
    for order, page in enumerate([story, draft, aims, events_index]):
        HomePageFeaturedPage.objects.create(home_page=home, page=page, sort_order=order)
    featured = gql(HOME)["home"]["featuredPages"]
    assert [page["title"] for page in featured] == ["Loreto oil spills", "PSG Aims", "Events"]


def test_home_is_null_when_the_home_page_is_unpublished(gql, site):
    home, _news_index, _events_index = site
    home.unpublish()
    assert gql("{ home { title } }")["home"] is None
