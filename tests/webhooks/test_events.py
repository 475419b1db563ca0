"""Which changes send which webhook, with which paths: a real HTTP receiver on 127.0.0.1 records
each request, verified as a frontend would verify it (tests/webhooks/receiver.py)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cms.models import MenuItem, NavigationMenu, SiteSettings
from tests.factories import (
    EventPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    TopicFactory,
    VenueFactory,
)
from webhooks.models import WebhookDelivery

FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]


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
        "scope": "pages",
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
            "scope": "pages",
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
