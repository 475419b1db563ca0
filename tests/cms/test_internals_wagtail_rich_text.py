"""What cms.internals.wagtail_rich_text relies on in Wagtail: fails when an upgrade changes it."""

import pytest
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.internals.wagtail_rich_text import link_rewriter, linked_objects, media_embeds, rewrite_embeds


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


def test_each_link_rule_gets_every_link_of_its_type_at_once():
    calls = []

    def pages(attrs_list):
        calls.append([attrs["id"] for attrs in attrs_list])
        return [f'<a href="/p/{attrs["id"]}/">' for attrs in attrs_list]

    rewrite = link_rewriter({"page": pages}, unknown="<a unknown>")
    html = '<p><a linktype="page" id="1">one</a> <a linktype="page" id="2">two</a></p>'
    assert rewrite(html) == '<p><a href="/p/1/">one</a> <a href="/p/2/">two</a></p>'
    assert calls == [["1", "2"]]


def test_links_of_a_type_no_rule_names_get_the_unknown_tag_and_self_described_links_stay():
    rewrite = link_rewriter({}, unknown="<a unknown>")
    html = (
        '<a linktype="page" id="1">a</a><a href="https://example.org/">b</a>'
        '<a linktype="email" href="mailto:a@example.org">c</a><a href="#top">d</a><a name="x">e</a>'
    )
    assert rewrite(html) == (
        '<a unknown>a</a><a href="https://example.org/">b</a>'
        '<a linktype="email" href="mailto:a@example.org">c</a><a href="#top">d</a><a name="x">e</a>'
    )


def test_embeds_are_replaced_by_the_rule_for_their_type_or_dropped():
    html = '<p>a</p><embed embedtype="media" url="https://example.org/v"/><embed embedtype="other" x="1"/>'
    rewritten = rewrite_embeds(html, {"media": lambda attrs_list: [f"[{a['url']}]" for a in attrs_list]})
    assert rewritten == "<p>a</p>[https://example.org/v]"


@pytest.mark.django_db
def test_media_embeds_render_what_wagtails_finder_fetched():
    url = "https://www.youtube.com/watch?v=internals"
    Embed.objects.create(
        url=url, max_width=None, hash=get_embed_hash(url), type="video", html="<iframe></iframe>"
    )
    assert "<iframe></iframe>" in media_embeds([{"url": url}])[0]
