"""With a frontend configured, a page's CMS address sends readers to its frontend address; a page
outside every site has none to send them to."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from cms.generation import bump_generation
from tests.factories import StandardPageFactory, make_site

pytestmark = pytest.mark.django_db


def test_a_page_redirects_to_its_frontend_address(client):
    home, _, _ = make_site()
    page = StandardPageFactory(parent=home, slug="about")
    bump_generation()
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"] == "https://frontend.test/about/"


def test_a_page_outside_every_site_is_not_found():
    make_site()
    stray = StandardPageFactory(parent=Page.get_first_root_node(), slug="stray")
    bump_generation()
    with pytest.raises(Http404):
        stray.serve(RequestFactory().get("/"))
