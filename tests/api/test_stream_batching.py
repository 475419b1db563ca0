"""What StreamFields refer to is loaded in one batch, found through the block definitions.

A body of 50 blocks costs the SQL of a body of 1, whatever the blocks nest and whichever StreamField
holds them: choosers inside lists inside structs, and a second StreamField beside the body, are
found as the body's own top-level blocks are. Every block points at objects of its own (pages,
images, documents), so a lookup per block would show. The last two tests use a page type only the
tests install (tests/testapp), served over HTTP by the project's schema built with that type added.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from api.graphql.page_types import served_page_models
from api.graphql.schema import build_schema
from tests.factories import StandardPageFactory, make_site
from tests.testapp.models import StreamPage

pytestmark = pytest.mark.django_db

MANY = 50

BODY = """query($path: String!) { page(path: $path) { ... on StandardPage { body { id blockType
  ... on ParagraphBlock { html } ... on ImageBlock { image { id } alt }
  ... on DocumentBlock { document { id } label } ... on ButtonBlock { url } } } } }"""

NESTED = """query($path: String!) { page(path: $path) { ... on StreamPage { body { id
  ... on LinkListBlock { heading pages } ... on GalleryBlock { images { id title } } } } } }"""

SIDEBAR = """query($path: String!) { page(path: $path) { ... on StreamPage { sidebar { id
  ... on ParagraphBlock { html } ... on ButtonBlock { url } } } } }"""


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("stream-batching-media")


@pytest.fixture(autouse=True)
def _settings(settings, media_root):
    settings.MEDIA_ROOT = media_root
    # Measure the resolvers' SQL, not the response cache.
    settings.GRAPHQL_RESPONSE_CACHE = False


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, media_root):
    """Pages with 1 and with 50 of each kind of block, built once for the module and rolled back."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build():
    home, _news, _events = make_site()
    targets = [StandardPageFactory(parent=home, slug=f"target-{i}") for i in range(MANY)]
    images = [
        get_image_model().objects.create(title=f"Image {i}", file=get_test_image_file()) for i in range(MANY)
    ]
    documents = [
        get_document_model().objects.create(title=f"Report {i}", file=ContentFile(b"%PDF", name=f"r{i}.pdf"))
        for i in range(MANY)
    ]
    objects = list(zip(targets, images, documents, strict=True))
    paths = {}
    for count in (1, MANY):
        body, nested, sidebar = [], [], []
        for page, image, document in objects[:count]:
            links = (
                f'<a linktype="page" id="{page.id}">a page</a> '
                f'<a linktype="document" id="{document.id}">a report</a>'
            )
            body += [
                ("paragraph", RichText(f"<p>{links}</p>")),
                ("image", {"image": image, "alt_text": "", "caption": ""}),
                ("document", {"document": document, "label": ""}),
                ("button", {"label": "Go", "page": page, "url": "", "email": ""}),
            ]
            nested += [("links", {"heading": "See", "pages": [page]}), ("gallery", {"images": [image]})]
            sidebar += [
                ("note", RichText(f"<p>{links}</p>")),
                ("button", {"label": "Go", "page": page, "url": "", "email": ""}),
            ]
        StandardPageFactory(parent=home, slug=f"body-{count}", body=body)
        stream_page = StreamPage(title=f"Stream {count}", slug=f"stream-{count}")
        stream_page.body, stream_page.sidebar = nested, sidebar
        home.add_child(instance=stream_page)
        stream_page.save_revision().publish()
        paths[count] = {"body": f"/body-{count}/", "stream": f"/stream-{count}/"}
    return paths


@pytest.fixture
def schema_with_stream_pages(monkeypatch):
    """The project's schema with the tests' page type added, served at /graphql/ as the real one is."""
    monkeypatch.setattr("api.graphql.view.schema", build_schema([*served_page_models(), StreamPage]))


def _run(client, query, path):
    body = json.dumps({"query": query, "variables": {"path": path}})
    client.post("/graphql/", data=body, content_type="application/json")  # warm: process-wide facts
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data=body, content_type="application/json")
    payload = response.json()
    assert response.status_code == 200 and "errors" not in payload, payload
    return payload["data"]["page"], len(captured.captured_queries)


def test_a_body_costs_the_same_sql_for_1_block_of_each_kind_as_for_50(content, client):
    _one, one_count = _run(client, BODY, content[1]["body"])
    many, many_count = _run(client, BODY, content[MANY]["body"])
    assert len(many["body"]) == 4 * MANY
    buttons = [block["url"] for block in many["body"] if block["blockType"] == "button"]
    assert all(url and "/target-" in url for url in buttons), buttons
    assert all(block["image"] for block in many["body"] if block["blockType"] == "image")
    assert all(block["document"] for block in many["body"] if block["blockType"] == "document")
    paragraphs = [block["html"] for block in many["body"] if block["blockType"] == "paragraph"]
    assert all("/target-" in html and "/documents/" in html for html in paragraphs), paragraphs[:2]
    assert one_count == many_count, (one_count, many_count)


def test_choosers_nested_in_lists_inside_structs_are_batched(content, client, schema_with_stream_pages):
    _one, one_count = _run(client, NESTED, content[1]["stream"])
    many, many_count = _run(client, NESTED, content[MANY]["stream"])
    links = [url for block in many["body"] for url in block.get("pages", [])]
    images = [image for block in many["body"] for image in block.get("images", [])]
    assert len(links) == MANY and all("/target-" in url for url in links), links
    assert len(images) == MANY
    assert one_count == many_count, (one_count, many_count)


def test_a_second_streamfield_is_batched_like_the_body(content, client, schema_with_stream_pages):
    _one, one_count = _run(client, SIDEBAR, content[1]["stream"])
    many, many_count = _run(client, SIDEBAR, content[MANY]["stream"])
    notes = [block["html"] for block in many["sidebar"] if "html" in block]
    buttons = [block["url"] for block in many["sidebar"] if "url" in block]
    assert len(notes) == MANY and all("/target-" in html and "/documents/" in html for html in notes)
    assert len(buttons) == MANY and all("/target-" in url for url in buttons)
    assert one_count == many_count, (one_count, many_count)
