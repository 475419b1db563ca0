"""The demo content over GraphQL, as a frontend asks for it: each page type and root field gives the seed."""

import datetime
import io
import zoneinfo
from io import StringIO

import icalendar
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from PIL import Image as PILImage

from events.models import EventPage

FRONTEND = "https://frontend.test"
EVENT_URL = f"{FRONTEND}/events/annual-conference-2016/"
CONFERENCE_NEWS = "/news/peru-support-groups-annual-conference-on-5-november/"

# The news as the snapshot lists it.
SEED_NEWS = [
    ("Bolivia and Peru: change of tone?", "2016-11-06"),
    ("Loreto oil spills: conflict continues.", "2016-10-29"),
    ("Bill to end private police contracts in mines", "2016-10-29"),
    ("New law should help identification of violence victims", "2016-10-29"),
    ("Peru Support Group's Annual Conference on 5 November", "2016-10-20"),
    ("Violence at Las Bambas, again", "2016-10-16"),
    ("Opposition to TPP", "2016-10-16"),
    ("Forest restoration reported", "2016-10-16"),
    ("Education minister under siege", "2016-10-10"),
    ("Abuse of influence uncovered", "2016-10-10"),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    """The demo content, loaded once for this module's read-only queries and rolled back after them.

    Each test still runs in its own transaction (the `db` fixture), nested inside this one.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        # What runs once the loader's saves commit (renditions, placeholders) runs here too.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    # Replaces conftest's fixture of the same name: the images live where the module loaded them.
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(autouse=True)
def _demo(loaded_demo):
    pass


EVENT_FIELDS = """
    ... on EventPage {
        startsAt endsAt status summary
        venue { name addressLines city postcode country }
        prices { label amount currency }
        programme { time title startsAt }
        registration { required email url note }
    }
"""

NEWS_FIELDS = """
    ... on NewsPage {
        publicationDate summary
        topics { name slug }
        body {
            blockType
            ... on ButtonBlock { label url }
            ... on ParagraphBlock { html }
        }
        mainImage {
            alt width height
            rendition(filter: FILL_400X300) { url width height }
            srcset
        }
    }
"""


def page_by_path(gql, path, fragment):
    query = f"query ($path: String) {{ page(path: $path) {{ title path url pageType {fragment} }} }}"
    return gql(query, {"path": path})["page"]


# --- Pages by path and id -------------------------------------------------------------------------


def test_event_page_by_id(gql):
    event = EventPage.objects.get()
    query = f"query ($id: ID) {{ page(id: $id) {{ title path url pageType {EVENT_FIELDS} }} }}"
    page = gql(query, {"id": str(event.pk)})["page"]
    assert page["title"] == "Human Rights and Development under PPK"
    assert page["pageType"] == "EventPage"
    assert page["path"] == "/events/annual-conference-2016/"
    assert page["url"] == EVENT_URL
    assert page["startsAt"] == "2016-11-05T10:30:00+00:00"  # GMT in November
    assert page["endsAt"] is None
    assert page["status"] == "SCHEDULED"
    assert page["venue"] == {
        "name": "UCL Global Governance Institute",
        "addressLines": ["29 – 31 Tavistock Square"],
        "city": "London",
        "postcode": "WC1H 9QU",
        "country": "United Kingdom",
    }
    assert page["prices"] == [
        {"label": "Members and concessions", "amount": "8.00", "currency": "GBP"},
        {"label": "Non-members", "amount": "13.00", "currency": "GBP"},
    ]
    assert page["programme"] == [
        {"time": "10:30", "title": "Registration and coffee", "startsAt": "2016-11-05T10:30:00+00:00"},
        {"time": "11:00", "title": "Conference starts", "startsAt": "2016-11-05T11:00:00+00:00"},
    ]
    assert page["registration"] == {
        "required": False,
        "email": None,
        "url": None,
        "note": "Please register your attendance in advance if possible.",
    }


def test_event_page_by_path(gql):
    page = page_by_path(gql, "/events/annual-conference-2016/", EVENT_FIELDS)
    assert page["pageType"] == "EventPage"
    assert page["venue"]["postcode"] == "WC1H 9QU"


def test_the_conference_as_a_calendar_file(gql, client):
    url = page_by_path(gql, "/events/annual-conference-2016/", "... on EventPage { icalUrl }")["icalUrl"]
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    london = zoneinfo.ZoneInfo("Europe/London")
    assert event.decoded("DTSTART") == datetime.datetime(2016, 11, 5, 10, 30, tzinfo=london)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["SUMMARY"]) == "Human Rights and Development under PPK"
    assert str(event["LOCATION"]) == (
        "UCL Global Governance Institute, 29 – 31 Tavistock Square, London, WC1H 9QU, United Kingdom"
    )
    assert str(event["URL"]) == EVENT_URL


def test_the_conference_took_registrations_on_the_site_and_is_closed(gql):
    fields = """... on EventPage {
        registration { viaForm isOpen closedReason opensAt closesAt capacity placesLeft waitingList }
        form { fields { name type required } submitLabel }
    }"""
    page = page_by_path(gql, "/events/annual-conference-2016/", fields)
    assert page["registration"] == {
        "viaForm": True,
        "isOpen": False,
        "closedReason": "Registration for this event has closed.",
        "opensAt": None,
        "closesAt": "2016-11-05T10:30:00+00:00",
        "capacity": None,
        "placesLeft": None,
        "waitingList": False,
    }
    assert [(f["name"], f["type"], f["required"]) for f in page["form"]["fields"]] == [
        ("name", "SINGLE_LINE", True),
        ("email", "EMAIL", True),
        ("consent", "CHECKBOX", True),
    ]
    assert page["form"]["submitLabel"] == "Register"


def test_news_page_with_image(gql):
    page = page_by_path(gql, "/news/forest-restoration-reported/", NEWS_FIELDS)
    assert page["title"] == "Forest restoration reported"
    assert page["pageType"] == "NewsPage"
    assert page["publicationDate"] == "2016-10-16"
    assert page["summary"].startswith("Monitoring of the Andean Amazon Project (MAAP)")
    assert len(page["summary"]) <= 300
    assert page["topics"] == [
        {"name": "Environment", "slug": "environment"},
        {"name": "Mining", "slug": "mining"},
    ]
    assert [block["blockType"] for block in page["body"]] == ["paragraph"]
    assert "Harakmbut, Yine and Machiguenga peoples" in page["body"][0]["html"]

    image = page["mainImage"]
    assert image["alt"].startswith("A simple illustration of a dark green circle")  # the image's description
    assert (image["width"], image["height"]) == (1200, 800)
    rendition = image["rendition"]
    assert (rendition["width"], rendition["height"]) == (400, 300)
    assert rendition["url"].startswith("http://testserver/media/images/")
    assert "400w" in image["srcset"] and "800w" in image["srcset"]


def test_news_images_come_as_avif_and_webp_ready_for_picture(gql, client):
    fragment = """... on NewsPage { mainImage { placeholder dominantColor
      responsive(crop: WIDE) { src srcset sizes sources { format mimeType srcset } } } }"""
    image = page_by_path(gql, "/news/forest-restoration-reported/", fragment)["mainImage"]
    assert image["placeholder"].startswith("data:image/webp;base64,")
    assert image["dominantColor"].startswith("#") and len(image["dominantColor"]) == 7
    responsive = image["responsive"]
    assert responsive["sizes"] == "(max-width: 1200px) 100vw, 1200px"
    assert [source["mimeType"] for source in responsive["sources"]] == ["image/avif", "image/webp"]
    for source in responsive["sources"]:
        candidates = source["srcset"].split(", ")
        assert [candidate.rsplit(" ", 1)[1] for candidate in candidates] == ["400w", "800w", "1200w"]
        response = client.get(candidates[0].split(" ")[0].removeprefix("http://testserver"))
        assert response.status_code == 200
        picture = PILImage.open(io.BytesIO(b"".join(response.streaming_content)))
        assert picture.format == source["format"] and picture.size == (400, 225)


def test_news_page_keeps_the_seeds_exact_title_and_quotes(gql):
    page = page_by_path(gql, "/news/loreto-oil-spills-conflict-continues/", NEWS_FIELDS)
    assert page["title"] == "Loreto oil spills: conflict continues."
    assert page["publicationDate"] == "2016-10-29"
    assert page["summary"].startswith("Indigenous communities in Loreto have now been on strike")
    assert "Marañon" in page["summary"]
    assert page["mainImage"]["alt"]
    tpp = page_by_path(gql, "/news/opposition-to-tpp/", NEWS_FIELDS)
    assert "Peruvian government’s support" in tpp["body"][0]["html"]
    assert tpp["mainImage"] is None


def test_conference_news_item_links_to_the_event(gql):
    page = page_by_path(gql, CONFERENCE_NEWS, NEWS_FIELDS)
    assert page["title"] == "Peru Support Group's Annual Conference on 5 November"
    assert page["publicationDate"] == "2016-10-20"
    types = [block["blockType"] for block in page["body"]]
    assert types[-1] == "button"
    assert set(types[:-1]) == {"paragraph"}

    button = page["body"][-1]
    assert button == {"blockType": "button", "label": "Agenda and registration", "url": EVENT_URL}

    html = "".join(block["html"] for block in page["body"] if block["blockType"] == "paragraph")
    assert f'<a href="{EVENT_URL}">Human Rights and Development under PPK</a>' in html
    assert "linktype" not in html
    assert "29 – 31 Tavistock Square, London WC1H 9QU" in html
    assert "Members and Concessions £8, non-members £13" in html


def test_standard_page(gql):
    fragment = "... on StandardPage { summary body { blockType ... on ParagraphBlock { html } } }"
    page = page_by_path(gql, "/psg-aims/", fragment)
    assert page["title"] == "PSG Aims"
    assert page["pageType"] == "StandardPage"
    assert page["summary"].startswith("The Peru Support Group exists to promote social inclusion")
    assert len(page["summary"]) <= 300
    assert [block["blockType"] for block in page["body"]] == ["paragraph"]
    assert page["body"][0]["html"].endswith("within the context of sustainable development.</p>")

    history = page_by_path(gql, "/historical-overview/", fragment)
    assert history["summary"].startswith("Over the past century Peru has suffered a series of autocratic")
    rights = page_by_path(gql, "/human-rights/", fragment)
    assert rights["title"] == "Human Rights"


def test_join_page(gql):
    fragment = """... on JoinPage {
        reasons { text }
        membershipOptions { name }
        callToAction { label url email href }
    }"""
    page = page_by_path(gql, "/join/", fragment)
    assert page["title"] == "Why join the PSG?"
    assert page["pageType"] == "JoinPage"
    assert [reason["text"] for reason in page["reasons"]] == [
        "Keep up to date with latest news and developments in Peru",
        "Learn about key issues of poverty, development and human rights in Peru",
        "Support the work of the Peru Support Group",
    ]
    assert page["membershipOptions"] == []
    assert page["callToAction"] == {
        "label": "Become a member",
        "url": "https://www.perusupportgroup.org.uk/",
        "email": None,
        "href": "https://www.perusupportgroup.org.uk/",
    }


def test_home_page_is_the_site_root(gql):
    page = page_by_path(gql, "/", "... on HomePage { heroHeading }")
    assert page["title"] == "Peru Support Group"
    assert page["pageType"] == "HomePage"
    assert page["path"] == "/"
    assert page["heroHeading"]


# --- Root fields ----------------------------------------------------------------------------------


def test_home(gql):
    data = gql(
        """{ home {
            title heroHeading heroText
            heroImage {
                alt width height
                focalPoint { x y width height }
                rendition(filter: WIDTH_800) { width }
            }
            featuredPages { title path }
            latestNews { title publicationDate }
            upcomingEvents { title }
        } }"""
    )
    home = data["home"]
    assert home["title"] == "Peru Support Group"
    assert "The Peru Support Group exists to promote social inclusion" in home["heroText"]
    assert home["heroImage"]["alt"]
    assert (home["heroImage"]["width"], home["heroImage"]["height"]) == (1200, 800)
    assert home["heroImage"]["focalPoint"] is not None
    assert home["heroImage"]["rendition"]["width"] == 800
    assert home["featuredPages"] == [
        {"title": "PSG Aims", "path": "/psg-aims/"},
        {"title": "Why join the PSG?", "path": "/join/"},
    ]
    assert home["latestNews"] == [
        {"title": "Bolivia and Peru: change of tone?", "publicationDate": "2016-11-06"},
        {"title": "Loreto oil spills: conflict continues.", "publicationDate": "2016-10-29"},
        {"title": "Bill to end private police contracts in mines", "publicationDate": "2016-10-29"},
    ]
    assert home["upcomingEvents"] == []  # the 2016 conference is over


def test_news_listing(gql):
    data = gql("{ news(pageSize: 50) { items { title publicationDate path } pagination { totalCount } } }")
    news = data["news"]
    assert news["pagination"]["totalCount"] == 10
    # Newest first, and items of the same date in the order the snapshot lists them.
    assert [(item["title"], item["publicationDate"]) for item in news["items"]] == SEED_NEWS
    assert all(item["path"].startswith("/news/") for item in news["items"])


def test_news_listing_filters(gql):
    mining = gql('{ news(topic: "mining") { items { title } pagination { totalCount } } }')["news"]
    assert {item["title"] for item in mining["items"]} == {
        "Bill to end private police contracts in mines",
        "Violence at Las Bambas, again",
        "Forest restoration reported",
    }
    november = gql("{ news(year: 2016, month: 11) { items { title } } }")["news"]
    assert [item["title"] for item in november["items"]] == ["Bolivia and Peru: change of tone?"]


def test_news_topics(gql):
    topics = gql("{ newsTopics { name slug count } }")["newsTopics"]
    assert topics == [
        {"name": "Politics", "slug": "politics", "count": 6},
        {"name": "Human rights", "slug": "human-rights", "count": 5},
        {"name": "Mining", "slug": "mining", "count": 3},
        {"name": "Environment", "slug": "environment", "count": 2},
    ]


def test_past_events(gql):
    past = gql(
        "{ events(timeframe: PAST) { items { title startsAt venue { name } } pagination { totalCount } } }"
    )["events"]
    assert past["pagination"]["totalCount"] == 1
    assert past["items"] == [
        {
            "title": "Human Rights and Development under PPK",
            "startsAt": "2016-11-05T10:30:00+00:00",
            "venue": {"name": "UCL Global Governance Institute"},
        }
    ]
    upcoming = gql("{ events { pagination { totalCount } } }")["events"]
    assert upcoming["pagination"]["totalCount"] == 0


def test_site_settings(gql):
    settings = gql("{ siteSettings { organisationName contactEmail footerText socialLinks { url } } }")[
        "siteSettings"
    ]
    assert settings["organisationName"] == "Peru Support Group"
    assert settings["contactEmail"] is None
    assert settings["footerText"].startswith("Peru Support Group")
    assert settings["socialLinks"] == []


def test_main_menu(gql):
    menu = gql('{ menu(handle: "main") { name handle items { label path url } } }')["menu"]
    assert menu["name"] == "Main menu"
    assert menu["handle"] == "main"
    expected = [
        ("News", "/news/"),
        ("Events", "/events/"),
        ("PSG Aims", "/psg-aims/"),
        ("Historical Overview", "/historical-overview/"),
        ("Human Rights", "/human-rights/"),
        ("Why join the PSG?", "/join/"),
    ]
    assert menu["items"] == [
        {"label": label, "path": path, "url": FRONTEND + path} for label, path in expected
    ]


def test_search(gql):
    results = gql('{ search(query: "Las Bambas") { items { title path } } }')["search"]["items"]
    bambas = {"title": "Violence at Las Bambas, again", "path": "/news/violence-at-las-bambas-again/"}
    assert bambas in results
    # As someone types: the word is not finished yet.
    hits = gql('{ search(query: "Bamba") { hits { title snippet page { path } } } }')["search"]["hits"]
    hit = next(hit for hit in hits if hit["page"]["path"] == bambas["path"])
    assert hit["title"] == "Violence at Las <mark>Bambas</mark>, again"
    assert "<mark>Bambas</mark>" in hit["snippet"]
    tavistock = gql('{ search(query: "Tavistock") { items { title } } }')["search"]["items"]
    assert {"title": "Peru Support Group's Annual Conference on 5 November"} in tavistock


def test_sitemap(gql):
    entries = gql("{ sitemap { path url lastModified } }")["sitemap"]
    paths = [entry["path"] for entry in entries]
    assert len(paths) == 19
    assert len(set(paths)) == 19
    assert "/" in paths
    assert "/events/annual-conference-2016/" in paths
    assert "/news/loreto-oil-spills-conflict-continues/" in paths
    assert all(entry["url"] == FRONTEND + entry["path"] for entry in entries)
    assert all(entry["lastModified"] for entry in entries)
