"""What cms.internals.wagtail_rich_text relies on in Wagtail: fails when an upgrade changes it."""

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.internals.wagtail_rich_text import linked_objects


def test_page_and_document_links_give_their_model_and_id():
    html = '<p><a linktype="page" id="3">a page</a> and <a linktype="document" id="4">a report</a></p>'
    assert list(linked_objects(html)) == [(Page, 3), (get_document_model(), 4)]


def test_image_embeds_give_the_image_model():
    html = '<embed embedtype="image" id="7" format="left" alt="A river"/>'
    assert list(linked_objects(html)) == [(get_image_model(), 7)]


def test_links_to_no_object_give_nothing():
    html = (
        '<a href="https://example.org/">external</a><a linktype="email" href="mailto:a@example.org">mail</a>'
        '<a linktype="unknown" id="9">unknown</a><embed embedtype="media" url="https://example.org/v"/>'
    )
    assert list(linked_objects(html)) == []


def test_ids_that_name_no_row_are_skipped():
    html = '<a linktype="page" id="x1">a</a><a linktype="page" id="0">b</a><a linktype="page" id="５">c</a>'
    assert list(linked_objects(html)) == []


def test_a_link_without_an_id_ends_the_search_without_failing():
    # Wagtail's page handler raises KeyError on it; what came before is still found.
    html = '<a linktype="page" id="5">a</a><a linktype="page">b</a><a linktype="page" id="6">c</a>'
    assert list(linked_objects(html)) == [(Page, 5)]
