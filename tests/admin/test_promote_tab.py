"""Editors set how a page is shared and what search engines are told on its Promote tab; the API serves it."""

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from events.models import EventPage
from tests.admin.conftest import event_form
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

SEO = """query($path: String!) { page(path: $path) {
  seo { title description canonicalUrl noindex shareImage { alt width } } } }"""


def test_promote_tab_shows_the_share_image_canonical_url_and_noindex(site, admin_client):
    event = EventPageFactory(parent=site[2], title="Annual conference")
    html = admin_client.get(f"/admin/pages/{event.id}/edit/").content.decode()
    for name in ("share_image", "canonical_url", "noindex"):
        assert f'name="{name}"' in html, name
    assert "Shown when the page is shared on social media" in html
    assert "Tick to ask search engines not to list this page" in html


def test_an_editor_sets_seo_and_sharing_on_the_promote_tab(site, admin_client, gql):
    event = EventPageFactory(parent=site[2], title="Annual conference", slug="annual-conference-2030")
    image = get_image_model().objects.create(title="Conference hall", file=get_test_image_file())
    response = admin_client.post(
        f"/admin/pages/{event.id}/edit/",
        event_form(
            seo_title="PSG Annual Conference 2030",
            search_description="A day on human rights in Peru.",
            share_image=image.pk,
            canonical_url="https://partner.example.org/psg-conference",
            noindex="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = EventPage.objects.get(pk=event.pk)
    assert saved.share_image_id == image.pk and saved.noindex

    seo = gql(SEO, {"path": "/events/annual-conference-2030/"})["page"]["seo"]
    assert seo == {
        "title": "PSG Annual Conference 2030",
        "description": "A day on human rights in Peru.",
        "canonicalUrl": "https://partner.example.org/psg-conference",
        "noindex": True,
        "shareImage": {"alt": "Conference hall", "width": 640},
    }
    # A page hidden from search engines is left out of the sitemap too.
    paths = [entry["path"] for entry in gql("{ sitemap { path } }")["sitemap"]]
    assert "/events/annual-conference-2030/" not in paths
    assert "/events/" in paths


def test_a_canonical_url_must_be_a_web_address(site, admin_client):
    event = EventPageFactory(parent=site[2], title="Annual conference")
    response = admin_client.post(
        f"/admin/pages/{event.id}/edit/", event_form(canonical_url="javascript:alert(1)")
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
