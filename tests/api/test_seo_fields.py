"""Each page's `seo` and `jsonLd`: fallbacks, and nothing hidden or unsafe passed on."""

import json

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, Site

from cms.models import SiteSettings
from tests.factories import EventPageFactory, NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db

SEO = """query($path: String!) { page(path: $path) {
  jsonLd seo { title description canonicalUrl noindex shareImage { url width height alt } } } }"""


def image(title, collection=None):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(), collection=collection or Collection.get_first_root_node()
    )


def seo(gql, path):
    return gql(SEO, {"path": path})["page"]["seo"]


@pytest.fixture
def site(settings):
    settings.FRONTEND_URL = "https://frontend.test"
    return make_site()


def test_defaults_when_editors_set_nothing(gql, site):
    StandardPageFactory(parent=site[0], title="PSG Aims", slug="psg-aims", summary="Why PSG exists.")
    assert seo(gql, "/psg-aims/") == {
        "title": "PSG Aims",
        "description": "Why PSG exists.",
        "canonicalUrl": "https://frontend.test/psg-aims/",
        "noindex": False,
        "shareImage": None,
    }


def test_share_image_falls_back_to_the_main_image_then_the_site_default(gql, site):
    home, news_index, _events = site
    main, own, default = image("Main"), image("Own"), image("Default")
    NewsPageFactory(parent=news_index, slug="with-main", main_image=main)
    NewsPageFactory(parent=news_index, slug="with-both", main_image=main, share_image=own)
    NewsPageFactory(parent=news_index, slug="with-none")
    StandardPageFactory(parent=home, slug="standing")
    SiteSettings.objects.create(site=Site.objects.get(is_default_site=True), default_share_image=default)

    assert seo(gql, "/news/with-main/")["shareImage"]["alt"] == "Main"
    assert seo(gql, "/news/with-both/")["shareImage"]["alt"] == "Own"
    assert seo(gql, "/news/with-none/")["shareImage"]["alt"] == "Default"
    standing = seo(gql, "/standing/")["shareImage"]
    assert standing["alt"] == "Default"
    assert standing["url"].startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in standing["url"]


def test_an_image_in_a_restricted_collection_is_never_shared(gql, site):
    _home, news_index, _events = site
    embargoed = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(collection=embargoed, restriction_type="login")
    NewsPageFactory(
        parent=news_index,
        slug="item",
        share_image=image("Embargoed photo", embargoed),
        main_image=image("Main"),
    )
    assert seo(gql, "/news/item/")["shareImage"]["alt"] == "Main"
    assert "Embargoed" not in json.dumps(gql(SEO, {"path": "/news/item/"}))


def test_an_unsafe_canonical_url_is_replaced_by_the_pages_own(gql, site):
    # Stored past the form (an import, the shell): the API still never hands out a script URL.
    page = StandardPageFactory(parent=site[0], slug="page")
    type(page).objects.filter(pk=page.pk).update(canonical_url="javascript:alert(1)")
    assert seo(gql, "/page/")["canonicalUrl"] == "https://frontend.test/page/"


def test_json_ld_cannot_end_its_script_element(gql, site):
    StandardPageFactory(parent=site[0], slug="page", title="</script><script>alert(1)</script>")
    text = gql(SEO, {"path": "/page/"})["page"]["jsonLd"]
    assert "<" not in text and ">" not in text
    assert json.loads(text)["@graph"][0]["name"] == "</script><script>alert(1)</script>"


def test_an_event_online_only_is_attended_online(gql, site):
    EventPageFactory(
        parent=site[2], slug="webinar", online_url="https://meet.example.org/psg", status="postponed"
    )
    event = json.loads(gql(SEO, {"path": "/events/webinar/"})["page"]["jsonLd"])["@graph"][0]
    assert event["@type"] == "Event"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["eventStatus"] == "https://schema.org/EventPostponed"
    assert event["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/psg"}
    assert event["endDate"] == "2030-11-05T17:00:00+00:00"
