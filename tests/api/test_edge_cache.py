"""What the HTTP cache tier is told to forget, when, and what an unreachable tier costs an editor.

A small HTTP server stands in for Varnish's purge listener and records every PURGE; CDN backends
are Wagtail's own classes with their network call replaced by a recorder. Changes go through the
admin, as editors make them. (tests/ops/test_varnish.py runs the real Varnish.)
"""

import http.server
import socket
import threading
import time

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.frontend_cache.backends import BaseBackend, CloudflareBackend, CloudfrontBackend
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.generation import current_generation
from tests.factories import NewsPageFactory, make_site
from tests.image_upload import upload_image

pytestmark = pytest.mark.django_db

CONTENT_PATHS = {
    "/graphql*",
    "/feeds/news.rss",
    "/feeds/news.atom",
    "/feeds/news.json",
    "/embed/news/",
    # The events' calendar feed, and every event's file under the prefix.
    "/feeds/events.ics",
    "/feeds/events*",
}
CDN_PURGES: dict[str, list[str]] = {"cloudflare": [], "cloudfront": []}


class RecordingCloudflare(CloudflareBackend):
    def __init__(self, params):
        BaseBackend.__init__(self, params)

    def purge_batch(self, urls):
        CDN_PURGES["cloudflare"].extend(urls)


class RecordingCloudfront(CloudfrontBackend):
    def __init__(self, params):
        BaseBackend.__init__(self, params)

    def purge_batch(self, urls):
        CDN_PURGES["cloudfront"].extend(urls)


class PurgeListener(http.server.ThreadingHTTPServer):
    """Varnish's purge listener, as far as the app can tell: records (path, Host), answers 200."""

    def __init__(self):
        self.purges = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(handler):  # noqa: N805
                self.purges.append((handler.path, handler.headers["Host"]))
                handler.send_response(200)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def paths(self):
        return {path for path, _host in self.purges}


@pytest.fixture
def varnish(settings):
    listener = PurgeListener()
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "api.edge_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{listener.server_address[1]}",
            "HOSTNAMES": ["testserver"],
            "TIMEOUT": 2,
        }
    }
    yield listener
    listener.shutdown()
    listener.server_close()


@pytest.fixture
def news_index():
    return make_site()[1]


def publish_form(page, title, slug=None):
    return nested_form_data(
        {
            "title": title,
            "slug": slug or page.slug,
            "publication_date": "2026-11-20",
            "topics": "",
            "summary": "A statement.",
            "main_image": "",
            "body": streamfield([("paragraph", rich_text("<p>The statement.</p>"))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "action-publish": "action-publish",
        }
    )


def test_a_publish_purges_after_the_commit_and_before_the_answer(
    admin_client, news_index, varnish, django_capture_on_commit_callbacks
):
    page = NewsPageFactory(parent=news_index, title="Draft statement", slug="statement", live=False)
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(f"/admin/pages/{page.id}/edit/", publish_form(page, "Statement"))
        assert response.status_code == 302
        # Not yet committed: a purge now would let a request re-cache the rows before the change.
        assert varnish.purges == []
        generation_before_commit = current_generation()
    for callback in callbacks:
        callback()
    # Every GraphQL answer (a prefix), the feeds and the embed page, each once, on the CMS host.
    assert varnish.paths == CONTENT_PATHS
    assert len(varnish.purges) == len(CONTENT_PATHS)
    assert {host for _path, host in varnish.purges} == {"testserver"}
    # Answers computed while the transaction was open are not served after it either.
    assert current_generation() != generation_before_commit


def test_a_draft_purges_nothing(admin_client, news_index, varnish, django_capture_on_commit_callbacks):
    page = NewsPageFactory(parent=news_index, title="Statement", slug="statement")
    form = publish_form(page, "Statement, reworded")
    del form["action-publish"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/pages/{page.id}/edit/", form).status_code == 302
    assert varnish.purges == []


def test_an_unreachable_tier_costs_a_logged_error_not_the_save(
    admin_client, news_index, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "api.edge_cache.VarnishBackend", "LOCATION": f"http://127.0.0.1:{port}"}
    }
    settings.WAGTAILADMIN_BASE_URL = "http://localhost"
    page = NewsPageFactory(parent=news_index, title="Draft statement", slug="statement", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/{page.id}/edit/", publish_form(page, "Statement"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.title == "Statement"
    assert "did not answer" in caplog.text
    assert "URLs not purged" in caplog.text


def test_a_tier_that_never_answers_holds_the_editor_for_its_timeout_only(
    admin_client, news_index, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections (the kernel does), never answers
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "api.edge_cache.VarnishBackend",
                "LOCATION": f"http://127.0.0.1:{silent.getsockname()[1]}",
                "HOSTNAMES": ["testserver"],
                "TIMEOUT": 1,
            }
        }
        page = NewsPageFactory(parent=news_index, title="Draft statement", slug="statement", live=False)
        with django_capture_on_commit_callbacks() as callbacks:
            response = admin_client.post(f"/admin/pages/{page.id}/edit/", publish_form(page, "Statement"))
        began = time.monotonic()
        for callback in callbacks:
            callback()
        waited = time.monotonic() - began
    assert response.status_code == 302
    assert waited < 5, waited
    assert "did not answer" in caplog.text


def test_a_document_change_purges_its_url(admin_client, varnish, django_capture_on_commit_callbacks):
    document = get_document_model().objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4 report", name="annual-report.pdf")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/documents/edit/{document.id}/",
            {"title": "Annual report 2026", "collection": document.collection_id, "tags": ""},
        )
    assert response.status_code == 302
    assert varnish.paths == CONTENT_PATHS | {document.url}


def test_a_collection_made_private_purges_its_documents_and_renditions(
    admin_client, varnish, django_capture_on_commit_callbacks
):
    collection = Collection.get_first_root_node().add_child(name="Embargoed")
    nested = collection.add_child(name="Photos")
    document = get_document_model().objects.create(
        title="Report", file=ContentFile(b"%PDF-1.4", name="report.pdf"), collection=collection
    )
    image = get_image_model().objects.create(
        title="Las Bambas", description="The mine", file=get_test_image_file(), collection=nested
    )
    rendition = image.get_rendition("width-400")
    elsewhere = get_image_model().objects.create(
        title="Elsewhere", description="A road", file=get_test_image_file()
    )
    elsewhere_rendition = elsewhere.get_rendition("width-400")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/collections/{collection.id}/privacy/",
            {"restriction_type": CollectionViewRestriction.LOGIN, "password": "", "groups": []},
        )
    assert response.status_code == 200
    assert CollectionViewRestriction.objects.filter(collection=collection).exists()
    assert {document.url, rendition.url} <= varnish.paths
    assert elsewhere_rendition.url not in varnish.paths


def test_an_image_edit_purges_its_renditions(admin_client, varnish, django_capture_on_commit_callbacks):
    image = get_image_model().objects.create(
        title="Las Bambas", description="The mine", file=get_test_image_file()
    )
    renditions = [image.get_rendition(spec).url for spec in ("width-400", "fill-400x300")]
    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    varnish.purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/images/{image.id}/",
            {"title": "Las Bambas", "description": "The mine", "collection": private.id, "tags": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(renditions) <= varnish.paths


def test_a_deleted_rendition_is_purged(varnish, django_capture_on_commit_callbacks):
    image = get_image_model().objects.create(title="Road", description="A road", file=get_test_image_file())
    url = image.get_rendition("width-400").url
    with django_capture_on_commit_callbacks(execute=True):
        image.renditions.all().delete()
    assert url in varnish.paths


def test_cdns_get_the_urls_of_their_hosts_and_only_the_prefixes_they_understand(
    admin_client, news_index, settings, django_capture_on_commit_callbacks
):
    """A CDN in front of the frontend gets a page's frontend URLs; one in front of the CMS its URLs,
    with the GraphQL prefix only where the CDN reads a prefix (CloudFront)."""
    for purges in CDN_PURGES.values():
        purges.clear()
    settings.WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": f"{__name__}.RecordingCloudflare",
            "ZONEID": "zone",
            "BEARER_TOKEN": "token",
            "HOSTNAMES": ["frontend.test", "testserver"],
        },
        "cloudfront": {
            "BACKEND": f"{__name__}.RecordingCloudfront",
            "DISTRIBUTION_ID": "distribution",
            "HOSTNAMES": ["testserver"],
        },
    }
    page = NewsPageFactory(parent=news_index, title="Statement", slug="statement")
    with django_capture_on_commit_callbacks(execute=True):
        form = publish_form(page, "Statement", slug="statement-revised")
        response = admin_client.post(f"/admin/pages/{page.id}/edit/", form)
    assert response.status_code == 302
    cms = {f"http://testserver{path}" for path in CONTENT_PATHS}
    # The old address and the new, and what the webhooks name with them: the listing, home, the feeds
    # and the sitemap.
    paths = ["/news/statement/", "/news/statement-revised/", "/news/", "/", "/sitemap.xml"]
    paths += ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]
    frontend = {f"https://frontend.test{path}" for path in paths}
    assert set(CDN_PURGES["cloudfront"]) == cms
    prefixes = {url for url in cms if url.endswith("*")}
    assert set(CDN_PURGES["cloudflare"]) == (cms - prefixes) | frontend


def test_image_uploads_purge_nothing_but_the_content(
    admin_client, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_image(admin_client)
    assert response.status_code == 302
    assert varnish.paths == CONTENT_PATHS


def test_a_cdn_in_front_of_the_frontend_forgets_the_pages_linking_to_an_unpublished_page(
    admin_client, news_index, settings, django_capture_on_commit_callbacks
):
    CDN_PURGES["cloudflare"].clear()
    settings.WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": f"{__name__}.RecordingCloudflare",
            "ZONEID": "zone",
            "BEARER_TOKEN": "token",
            "HOSTNAMES": ["frontend.test"],
        }
    }
    event = NewsPageFactory(parent=news_index, title="Conference", slug="conference")
    link = f'<p>Come to <a linktype="page" id="{event.id}">the conference</a>.</p>'
    NewsPageFactory(parent=news_index, slug="linking", body=[("paragraph", RichText(link))])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/{event.id}/unpublish/", {})
    assert response.status_code == 302
    assert "https://frontend.test/news/linking/" in CDN_PURGES["cloudflare"]
    assert "https://frontend.test/news/conference/" in CDN_PURGES["cloudflare"]
