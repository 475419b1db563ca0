"""The demo's rich text comes out of the API as it was stored: sanitising takes nothing legitimate away."""

import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.paths import frontend_path

pytestmark = pytest.mark.django_db

FRONTEND = "https://frontend.test"

RICH_TEXT_QUERY = """
query ($id: ID!) {
  page(id: $id) {
    ... on HomePage { heroText }
    ... on NewsIndexPage { intro }
    ... on EventIndexPage { intro }
    ... on JoinPage { intro }
    ... on FormPage { intro }
    ... on NewsPage { body { ... on ParagraphBlock { html } } }
    ... on EventPage { body { ... on ParagraphBlock { html } } }
    ... on StandardPage { body { ... on ParagraphBlock { html } } }
  }
}
"""


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


def stored_rich_text(page):
    """Every stored rich text of a page, in the order the query above returns them."""
    for field in ("hero_text", "intro"):
        if hasattr(page, field):
            yield getattr(page, field) or None
    for block in getattr(page, "body", None) or []:
        if block.block_type == "paragraph":
            value = block.value
            yield value.source if isinstance(value, RichText) else value


def returned_rich_text(data):
    for field in ("heroText", "intro"):
        if field in data:
            yield data[field]
    for block in data.get("body", []):
        if "html" in block:
            yield block["html"]


def expected_html(source):
    """The stored HTML with page links pointing at the frontend, as the API promises."""

    def page_link(match):
        return f'<a href="{FRONTEND}{frontend_path(Page.objects.get(pk=int(match[1])))}">'

    return re.sub(r'<a linktype="page" id="(\d+)">', page_link, source)


def parsed(fragment):
    return str(BeautifulSoup(fragment, "html.parser"))


def test_every_rich_text_of_the_demo_round_trips(gql, loaded_demo):
    compared = links = 0
    for page in Page.objects.filter(depth__gt=1).specific():
        data = gql(RICH_TEXT_QUERY, {"id": str(page.pk)})["page"]
        stored = list(stored_rich_text(page))
        returned = list(returned_rich_text(data))
        assert len(stored) == len(returned), page
        for source, html in zip(stored, returned, strict=True):
            if source is None:
                assert html in (None, ""), page
                continue
            # Byte for byte, and so of course the same elements, attributes and text.
            assert html == expected_html(source), page
            assert parsed(html) == parsed(expected_html(source)), page
            compared += 1
            links += source.count('linktype="page"')
    # The demo has 18 texts, some with links to other pages: all of them were looked at.
    assert compared >= 18 and links >= 1
