"""Publish webhooks: a real HTTP receiver on 127.0.0.1 records each request, which must verify with
the `standardwebhooks` library, as a frontend would verify it."""

import base64
import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from cms.models import MenuItem, NavigationMenu, SiteSettings
from cms.webhooks import signing
from cms.webhooks.delivery import worker
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import (
    EventPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    TopicFactory,
    VenueFactory,
    make_site,
)

SECRET = "whsec_" + base64.b64encode(b"psg-webhook-test-secret-32-bytes").decode()
FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]


class Receiver:
    """An HTTP server in a thread that records every request and answers with scripted statuses.

    `statuses` entries are a status code, or (status, headers, body) for a full answer.
    `connections` counts every TCP connection accepted, whether or not it carried a request.
    """

    def __init__(self):
        self.requests = []
        self.statuses = []  # popped per request; 200 once empty
        self.connections = 0
        self.received = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                answer = receiver.statuses.pop(0) if receiver.statuses else 200
                status, headers, content = answer if isinstance(answer, tuple) else (answer, {}, None)
                if content is None:
                    content = b"ok" if status == 200 else b"try again"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)
                receiver.received.set()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                receiver.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hooks/psg"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verified(self):
        """Every request's payload, after checking its Standard Webhooks signature."""
        webhook = Webhook(SECRET)
        return [webhook.verify(r["body"], r["headers"]) for r in self.requests]

    def types(self):
        return [payload["type"] for payload in self.verified()]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def webhooks(settings, receiver):
    settings.PUBLISH_WEBHOOK_URLS = [receiver.url]
    settings.PUBLISH_WEBHOOK_SECRET = SECRET
    settings.PUBLISH_WEBHOOK_SYNC = True
    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 0.01
    return receiver


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what happens after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _draft_news(news_index, **kwargs):
    return NewsPageFactory(parent=news_index, live=False, slug="oil-spill", title="Oil spill", **kwargs)


def test_publish_sends_a_signed_page_published(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)

    with commit():
        page.save_revision().publish()

    [request] = webhooks.requests
    [payload] = webhooks.verified()
    assert request["path"] == "/hooks/psg"
    assert request["headers"]["webhook-id"].startswith("msg_")
    assert request["headers"]["Content-Type"] == "application/json"
    assert payload["type"] == "page.published"
    assert datetime.datetime.fromisoformat(payload["timestamp"])
    assert payload["data"] == {
        "pageId": page.id,
        "pageType": "NewsPage",
        "title": "Oil spill",
        "paths": ["/news/oil-spill/", "/news/", "/", *FEEDS, "/sitemap.xml"],
    }
    [row] = WebhookDelivery.objects.all()
    assert (row.endpoint_url, row.event_type, row.attempt, row.status_code, row.succeeded) == (
        webhooks.url,
        "page.published",
        1,
        200,
        True,
    )
    assert row.message_id == request["headers"]["webhook-id"]
    assert row.payload == payload
    assert row.response_excerpt == "ok"


def test_saving_a_draft_sends_nothing(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)
    live_page = NewsPageFactory(parent=news_index)

    with commit():
        page.save_revision()
        live_page.title = "Changed in a draft"
        live_page.save_revision()

    assert webhooks.requests == []
    assert not WebhookDelivery.objects.exists()


def test_unpublish(site, webhooks, commit):
    _, _, events_index = site
    event = EventPageFactory(parent=events_index, slug="conference")

    with commit():
        event.unpublish()

    [payload] = webhooks.verified()
    assert payload["type"] == "page.unpublished"
    assert payload["data"]["pageType"] == "EventPage"
    assert payload["data"]["paths"] == ["/events/conference/", "/events/", "/", "/sitemap.xml"]


def test_move_sends_old_and_new_paths_of_the_page_and_its_children(site, webhooks, commit):
    home, _, _ = site
    about = StandardPageFactory(parent=home, slug="about")
    StandardPageFactory(parent=about, slug="history")
    who = StandardPageFactory(parent=home, slug="who-we-are")

    with commit():
        about.move(who, pos="last-child")

    [payload] = webhooks.verified()
    assert payload["type"] == "page.moved"
    assert payload["data"]["pageId"] == about.id
    assert payload["data"]["paths"] == [
        "/about/",
        "/who-we-are/about/",
        "/about/history/",
        "/who-we-are/about/history/",
        "/",
        "/who-we-are/",
        "/sitemap.xml",
    ]


def test_publishing_a_live_page_under_a_new_slug_also_sends_its_old_path(site, webhooks, commit):
    _, news_index, _ = site
    page = NewsPageFactory(parent=news_index, slug="first-slug")
    page.slug = "second-slug"

    with commit():
        page.save_revision().publish()

    by_type = {p["type"]: p["data"] for p in webhooks.verified()}
    assert set(by_type) == {"page.published", "page.moved"}
    assert by_type["page.published"]["paths"][0] == "/news/second-slug/"
    assert by_type["page.moved"]["paths"][:2] == ["/news/first-slug/", "/news/second-slug/"]


def test_delete_sends_the_paths_the_page_had(site, webhooks, commit):
    _, news_index, _ = site
    page = NewsPageFactory(parent=news_index, slug="old-story", title="Old story")
    page_id = page.id

    with commit():
        page.delete()

    [payload] = webhooks.verified()
    assert payload == {
        "type": "page.deleted",
        "timestamp": payload["timestamp"],
        "data": {
            "pageId": page_id,
            "pageType": "NewsPage",
            "title": "Old story",
            "paths": ["/news/old-story/", "/news/", "/", *FEEDS, "/sitemap.xml"],
        },
    }


def test_scheduled_go_live_and_expiry_through_publish_scheduled(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)
    revision = page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=5))
    assert revision.approved_go_live_at and webhooks.requests == []
    expiring = NewsPageFactory(
        parent=news_index, slug="expiring", expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with commit():
        call_command("publish_scheduled", verbosity=0)

    page.refresh_from_db()
    assert page.live
    payloads = {p["data"]["pageId"]: p for p in webhooks.verified()}
    assert payloads[page.id]["type"] == "page.published"
    assert payloads[expiring.id]["type"] == "page.unpublished"
    assert "/news/expiring/" in payloads[expiring.id]["data"]["paths"]


def test_nothing_is_sent_when_the_transaction_rolls_back(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)

    with commit() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            page.save_revision().publish()
            raise RuntimeError("the editor's request failed")

    assert callbacks == []
    assert webhooks.requests == []
    assert not WebhookDelivery.objects.exists()


def test_5xx_is_retried_with_the_same_id_and_every_attempt_is_logged(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)
    webhooks.statuses = [500, 500, 200]

    with commit():
        page.save_revision().publish()

    assert webhooks.types() == ["page.published"] * 3  # each attempt verifies
    assert len({r["headers"]["webhook-id"] for r in webhooks.requests}) == 1
    rows = WebhookDelivery.objects.order_by("attempt")
    assert [(r.attempt, r.status_code, r.succeeded) for r in rows] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert rows[0].response_excerpt == "try again"


def test_backoff_doubles(settings):
    from cms.webhooks.delivery import backoff

    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 1.0
    assert [backoff(attempt) for attempt in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_other_4xx_is_not_retried_and_429_is(site, webhooks, commit):
    _, news_index, _ = site
    webhooks.statuses = [404]
    with commit():
        _draft_news(news_index).save_revision().publish()
    assert list(WebhookDelivery.objects.values_list("status_code", flat=True)) == [404]

    webhooks.statuses = [429, 200]
    with commit():
        NewsPageFactory(parent=news_index, live=False).save_revision().publish()
    assert sorted(WebhookDelivery.objects.values_list("status_code", flat=True)) == [200, 404, 429]


def test_connection_errors_are_retried_up_to_the_limit(site, webhooks, settings, commit):
    _, news_index, _ = site
    settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 3
    webhooks.close()  # nothing listens there any more

    with commit():
        _draft_news(news_index).save_revision().publish()

    rows = WebhookDelivery.objects.order_by("attempt")
    assert [r.attempt for r in rows] == [1, 2, 3]
    assert all(r.status_code is None and "ConnectionError" in r.error for r in rows)


def test_admin_endpoints_receive_too_unless_inactive(site, settings, receiver, commit):
    settings.PUBLISH_WEBHOOK_URLS = []
    settings.PUBLISH_WEBHOOK_SECRET = SECRET
    settings.PUBLISH_WEBHOOK_SYNC = True
    WebhookEndpoint.objects.create(url=receiver.url, description="Production site")
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/never", active=False)
    _, news_index, _ = site

    with commit():
        _draft_news(news_index).save_revision().publish()

    assert receiver.types() == ["page.published"]
    assert set(WebhookDelivery.objects.values_list("endpoint_url", flat=True)) == {receiver.url}


def test_snippets_and_settings(site, webhooks, commit):
    home, news_index, events_index = site
    venue = VenueFactory()
    EventPageFactory(parent=events_index, slug="conference", venue=venue)
    topic = TopicFactory(name="Mining")
    news = NewsPageFactory(parent=news_index, slug="las-bambas")
    news.topics.add(topic)
    news.save()
    site_settings = SiteSettings.for_site(home.get_site())  # created on first use

    with commit():
        venue.name = "Amnesty International UK"
        venue.save()
        topic.save()
        menu = NavigationMenu.objects.create(name="Main", handle="main")
        MenuItem.objects.create(menu=menu, page=home, label="Home")
        site_settings.save()

    venue_data, topic_data, menu_data, settings_data = (p["data"] for p in webhooks.verified())
    assert [p["type"] for p in webhooks.verified()] == ["snippet.changed"] * 3 + ["settings.changed"]
    assert venue_data["model"] == "events.Venue" and venue_data["id"] == venue.id
    assert venue_data["paths"] == ["/", "/events/conference/", "/events/"]
    assert topic_data["paths"] == ["/", "/news/las-bambas/", "/news/", *FEEDS]
    assert (menu_data["scope"], menu_data["paths"]) == ("site", ["/"])
    assert (settings_data["scope"], settings_data["paths"]) == ("site", ["/", "/news/", "/events/"])


def test_raw_secret_is_its_utf8_bytes(settings):
    raw = "not-base64-secret"
    signature = signing.sign(raw, "msg_1", 1_700_000_000, '{"a":1}')
    expected = Webhook(raw.encode()).sign("msg_1", datetime.datetime.fromtimestamp(1_700_000_000), '{"a":1}')
    assert signature == expected
    as_whsec = "whsec_" + base64.b64encode(raw.encode()).decode()
    assert signing.sign(as_whsec, "msg_1", 1_700_000_000, '{"a":1}') == signature


def test_no_secret_no_delivery(site, webhooks, settings, commit):
    settings.PUBLISH_WEBHOOK_SECRET = ""
    _, news_index, _ = site
    with commit():
        _draft_news(news_index).save_revision().publish()
    assert webhooks.requests == []


@pytest.mark.django_db(transaction=True)
def test_background_thread_delivers_after_commit(webhooks, settings):
    settings.PUBLISH_WEBHOOK_SYNC = False
    webhooks.statuses = [503, 200]
    _, news_index, _ = make_site()
    page = _draft_news(news_index)

    page.save_revision().publish()  # autocommit: on_commit runs now, the thread sends

    assert worker.wait_until_idle(timeout=10)
    assert webhooks.types() == ["page.published", "page.published"]
    assert list(WebhookDelivery.objects.order_by("attempt").values_list("status_code", flat=True)) == [
        503,
        200,
    ]


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_delivery_log_is_for_admins_only(client, django_user_model):
    row = WebhookDelivery.objects.create(
        endpoint_url="https://frontend.test/api/revalidate",
        event_type="page.published",
        message_id="msg_1",
        payload={"type": "page.published"},
        attempt=1,
        status_code=200,
        succeeded=True,
    )
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    editor = django_user_model.objects.create_user("edna", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))

    _client_for(client, admin)
    index = client.get(reverse("webhook_deliveries:index"))
    assert index.status_code == 200
    assert "https://frontend.test/api/revalidate" in index.content.decode()
    assert client.get(reverse("webhook_deliveries:inspect", args=[row.pk])).status_code == 200
    assert client.get(reverse("webhook_endpoints:index")).status_code == 200
    assert client.get(reverse("webhook_deliveries:add")).status_code in (302, 403)
    assert client.get(reverse("webhook_deliveries:edit", args=[row.pk])).status_code in (302, 403)

    _client_for(client, editor)
    for url in (reverse("webhook_deliveries:index"), reverse("webhook_endpoints:index")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] != url
    assert "webhook" not in client.get("/admin/").content.decode().lower()
