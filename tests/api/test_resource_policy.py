"""Cross-Origin-Resource-Policy: cross-origin on what other origins load, same-origin elsewhere."""

import json

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories import make_site

pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})


@pytest.fixture
def site():
    return make_site()


def policy(response):
    return response["Cross-Origin-Resource-Policy"]


@pytest.mark.parametrize("path", ["/graphql/", "/graphql"])
def test_graphql_post_is_cross_origin(client, path):
    response = client.post(path, data=QUERY, content_type="application/json")
    assert response.status_code == 200
    assert policy(response) == "cross-origin"


def test_graphql_get_and_errors_are_cross_origin(client):
    assert policy(client.get("/graphql/", {"query": "{ __typename }"})) == "cross-origin"
    response = client.post("/graphql/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and policy(response) == "cross-origin"


@pytest.mark.parametrize(
    "path",
    ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json", "/embed/news/", "/embed/news.js"],
)
def test_partner_feeds_and_embed_are_cross_origin(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert policy(response) == "cross-origin"


def test_media_and_documents_are_cross_origin_even_when_missing(client):
    assert policy(client.get("/media/images/missing.width-100.png")) == "cross-origin"
    assert policy(client.get("/documents/999999/missing.pdf")) == "cross-origin"


def test_a_public_document_is_cross_origin(client):
    document = get_document_model().objects.create(title="Annual report")
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4 report"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert policy(response) == "cross-origin"


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/login/", "/healthz", "/", "/no/such/", "/graphqlx/", "/feedsx/", "/admin/graphql/"],
)
def test_everything_else_is_same_origin(client, site, path):
    assert policy(client.get(path)) == "same-origin"


def test_the_admin_signed_in_is_same_origin(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert policy(response) == "same-origin"


def test_a_script_name_prefix_does_not_change_the_policy(client, site):
    # Mounted under /cms by the proxy: the path Django routes is what counts.
    assert policy(client.get("/feeds/news.rss", SCRIPT_NAME="/cms")) == "cross-origin"
    assert policy(client.get("/admin/login/", SCRIPT_NAME="/cms")) == "same-origin"
