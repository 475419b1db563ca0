"""The demo content's SEO and schema.org descriptions over GraphQL, read as search engines read them:
the JSON-LD is parsed and checked against Google's required and recommended properties."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FRONTEND = "https://frontend.test"
CONFERENCE = "/events/annual-conference-2016/"
LORETO = "/news/loreto-oil-spills-conflict-continues/"

pytestmark = pytest.mark.django_db

PAGE = """query($path: String!) { page(path: $path) {
  title jsonLd
  seo { title description canonicalUrl noindex shareImage { url width height alt } }
} }"""


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-structured-data-media")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _demo(loaded_demo, settings, demo_media):
    settings.MEDIA_ROOT = demo_media
    settings.FRONTEND_URL = FRONTEND


def graph(page):
    """The JSON-LD's objects by schema.org type (the field is JSON text, as a <script> holds it)."""
    document = json.loads(page["jsonLd"])
    assert document["@context"] == "https://schema.org"
    return {item["@type"]: item for item in document["@graph"]}


def offset(moment):
    return datetime.datetime.fromisoformat(moment).utcoffset()


def assert_image_object(image):
    assert image["@type"] == "ImageObject"
    assert image["url"].startswith("http://testserver/")
    assert image["width"] > 0 and image["height"] > 0


def test_conference_is_a_valid_event(gql):
    page = gql(PAGE, {"path": CONFERENCE})["page"]
    event = graph(page)["Event"]
    # Google's required properties.
    assert event["name"] == "Human Rights and Development under PPK"
    assert event["startDate"] == "2016-11-05T10:30:00+00:00"  # GMT: British Summer Time ended on 30 October
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "UCL Global Governance Institute"
    address = event["location"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["postalCode"] == "WC1H 9QU"
    assert address["addressLocality"] == "London"
    assert address["streetAddress"] == "29 – 31 Tavistock Square"
    assert address["addressCountry"] == "United Kingdom"
    # Recommended.
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["description"].startswith("PSG's annual conference")
    assert "endDate" not in event  # the snapshot gives no end time: none is invented
    offers = event["offers"]
    assert [(o["@type"], o["name"], o["price"], o["priceCurrency"]) for o in offers] == [
        ("Offer", "Members and concessions", "8.00", "GBP"),
        ("Offer", "Non-members", "13.00", "GBP"),
    ]
    assert all(o["url"] == FRONTEND + CONFERENCE for o in offers)
    assert event["organizer"]["@type"] == "Organization"
    assert event["organizer"]["name"] == "Peru Support Group"
    assert event["organizer"]["url"] == FRONTEND + "/"
    (image,) = event["image"]
    assert_image_object(image)
    assert (image["width"], image["height"]) == (1200, 630)


def test_conference_seo_uses_its_own_share_image_and_description(gql):
    page = gql(PAGE, {"path": CONFERENCE})["page"]
    seo = page["seo"]
    assert seo["title"] == "Human Rights and Development under PPK"
    assert seo["description"].startswith("PSG's annual conference")
    assert seo["canonicalUrl"] == FRONTEND + CONFERENCE
    assert seo["noindex"] is False
    assert (seo["shareImage"]["width"], seo["shareImage"]["height"]) == (1200, 630)
    assert seo["shareImage"]["alt"].startswith("A simple illustration of a dark green circle")
    assert seo["shareImage"]["url"].startswith("http://testserver/media/images/psg-demo-forest")
    assert seo["shareImage"]["url"] == graph(page)["Event"]["image"][0]["url"]


def test_news_item_is_a_valid_news_article(gql):
    page = gql(PAGE, {"path": LORETO})["page"]
    article = graph(page)["NewsArticle"]
    assert article["headline"] == "Loreto oil spills: conflict continues."
    assert len(article["headline"]) <= 110
    published, modified = (
        datetime.datetime.fromisoformat(article[k]) for k in ("datePublished", "dateModified")
    )
    assert published.date() == datetime.date(2016, 10, 29)
    assert offset(article["datePublished"]) == datetime.timedelta(hours=1)  # still summer time in London
    assert modified >= published
    assert offset(article["dateModified"]) is not None
    assert article["mainEntityOfPage"] == FRONTEND + LORETO
    assert article["description"].startswith("Indigenous communities in Loreto")
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Peru Support Group"
    assert_image_object(publisher["logo"])
    assert article["author"]["@type"] == "Organization"
    # No share image of its own: its main image, cropped for sharing.
    (image,) = article["image"]
    assert_image_object(image)
    assert "psg-demo-river" in image["url"]
    assert page["seo"]["shareImage"]["url"] == image["url"]


def test_breadcrumbs_run_from_the_home_page_to_the_page(gql):
    crumbs = graph(gql(PAGE, {"path": LORETO})["page"])["BreadcrumbList"]["itemListElement"]
    assert [(c["@type"], c["position"], c["name"], c["item"]) for c in crumbs] == [
        ("ListItem", 1, "Peru Support Group", FRONTEND + "/"),
        ("ListItem", 2, "News", FRONTEND + "/news/"),
        ("ListItem", 3, "Loreto oil spills: conflict continues.", FRONTEND + LORETO),
    ]


def test_standing_page_falls_back_to_the_site_default_share_image(gql):
    page = gql(PAGE, {"path": "/psg-aims/"})["page"]
    assert "psg-demo-mountains" in page["seo"]["shareImage"]["url"]
    assert page["seo"]["description"].startswith("The Peru Support Group exists")
    web_page = graph(page)["WebPage"]
    assert web_page["name"] == "PSG Aims"
    assert web_page["url"] == FRONTEND + "/psg-aims/"


def test_site_settings_describe_the_organisation(gql):
    settings = gql("{ siteSettings { jsonLd logo { width height } defaultShareImage { width height } } }")[
        "siteSettings"
    ]
    organisation = json.loads(settings["jsonLd"])
    assert organisation["@context"] == "https://schema.org"
    assert organisation["@type"] == "Organization"
    assert organisation["name"] == "Peru Support Group"
    assert organisation["url"] == FRONTEND + "/"
    assert_image_object(organisation["logo"])
    assert organisation["logo"]["width"] >= 112 and organisation["logo"]["height"] >= 112
    assert settings["logo"] == {"width": 512, "height": 512}
    # Wagtail's crop around the focal point may round the height by a pixel: the size sent is the file's.
    assert settings["defaultShareImage"]["width"] == 1200
    assert abs(settings["defaultShareImage"]["height"] - 630) <= 1
