"""`make bench`'s REST API v2 serves the fields the GraphQL bench queries read, only under bench's
own URLs: the site itself has no /bench-api/."""

import pytest

from bench.datasets import TOPICS_PER_ITEM, build
from bench.scenarios import REST_EVENT_FIELDS, REST_NEWS_FIELDS
from news.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


def test_news_listing_and_detail_carry_the_bench_fields(client, bench_urls):
    build(3, 1, n_images=2, log=lambda message: None)
    listing = client.get(f"/bench-api/v2/pages/?type=news.NewsPage&fields={REST_NEWS_FIELDS}")
    assert listing.status_code == 200, listing.content
    items = listing.json()["items"]
    assert len(items) == 3
    first = items[0]
    assert set(REST_NEWS_FIELDS.split(",")) <= set(first)
    assert first["main_image_400x300"]["width"] == 400 and first["main_image_400x300"]["height"] == 300
    assert len(first["topics"]) == TOPICS_PER_ITEM
    assert [t["name"] for t in first["topics"]] == sorted(t["name"] for t in first["topics"])

    page = NewsPage.objects.get(pk=first["id"])
    detail = client.get(f"/bench-api/v2/pages/{page.pk}/?fields={REST_NEWS_FIELDS},body").json()
    assert detail["summary"] == page.summary and detail["frontend_path"] == page.frontend_path
    assert [block["type"] for block in detail["body"]] == [block.block_type for block in page.body]


def test_event_listing_nests_prices_and_names_the_venue(client, bench_urls):
    build(1, 2, n_images=1, log=lambda message: None)
    response = client.get(f"/bench-api/v2/pages/?type=events.EventPage&fields={REST_EVENT_FIELDS}")
    assert response.status_code == 200, response.content
    event = response.json()["items"][0]
    assert set(REST_EVENT_FIELDS.split(",")) <= set(event)
    assert event["venue_name"]
    price = event["prices"][0]
    assert set(price) == {"id", "meta", "label", "amount", "currency"}
    assert price["meta"] == {"type": "events.TicketPrice"}


def test_a_field_the_bench_does_not_declare_is_refused(client, bench_urls):
    response = client.get("/bench-api/v2/pages/?type=events.EventPage&fields=publication_date")
    assert response.status_code == 400
    assert "publication_date" in response.json()["message"]


def test_the_site_itself_has_no_rest_api(client):
    assert client.get("/bench-api/v2/pages/").status_code == 404
