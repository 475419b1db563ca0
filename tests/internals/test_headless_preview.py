"""What cms/internals/headless_preview.py relies on in wagtail-headless-preview still holds: the
tokens its pages issue, and what they identify."""

import pytest
from django.core import signing
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from cms.internals.headless_preview import (
    preview_signer,
    previewed_page_id,
    previewed_parent_id,
    unverified_identifier,
)
from news.models import NewsPage
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


def test_the_signer_is_the_one_pages_sign_with():
    assert isinstance(preview_signer(), signing.TimestampSigner)
    assert isinstance(NewsPage.get_preview_signer(), signing.TimestampSigner)
    token = NewsPage.get_preview_signer().sign("id=1")
    assert preview_signer().unsign(token) == "id=1"
    assert HeadlessPreviewMixin.get_preview_signer().unsign(token) == "id=1"


def test_a_saved_page_s_token_names_the_page():
    _home, news_index, _events = make_site()
    page = NewsPageFactory(parent=news_index)
    preview = page.create_page_preview()
    assert PagePreview.objects.get(token=preview.token).as_page().pk == page.pk

    identifier = preview_signer().unsign(preview.token)
    assert unverified_identifier(preview.token) == identifier
    assert previewed_page_id(identifier) == page.pk
    assert previewed_parent_id(identifier) is None


def test_a_new_page_s_token_names_its_parent(monkeypatch):
    _home, news_index, _events = make_site()
    draft = NewsPage(title="Not yet created", slug="not-yet")
    # Stands in for the parent the admin gives a page it previews before creating it.
    monkeypatch.setattr(draft, "get_parent", lambda update=False: news_index)
    preview = draft.create_page_preview()

    identifier = preview_signer().unsign(preview.token)
    assert identifier.startswith(f"parent_id={news_index.pk};")
    assert unverified_identifier(preview.token) == identifier
    assert previewed_parent_id(identifier) == news_index.pk
    assert previewed_page_id(identifier) is None


@pytest.mark.parametrize("identifier", ["", "id=", "id=x1", "parent_id=;page_type=a.b", "pk=3"])
def test_other_identifiers_name_nothing(identifier):
    assert previewed_page_id(identifier) is None and previewed_parent_id(identifier) is None
