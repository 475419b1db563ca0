"""A listing's topics: read from the database once per content generation and shown as stored, a
change to a topic or to what an item is filed under visible on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

TOPICS = "{ news { items { title topics { name slug } } } }"


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.GRAPHQL_RESPONSE_CACHE = False  # every answer is worked out here


@pytest.fixture
def filed():
    _, news_index, _ = make_site()
    mining, water = TopicFactory(name="Mining", slug="mining"), TopicFactory(name="Water", slug="water")
    page = NewsPageFactory(parent=news_index, title="Conga")
    page.topics.add(water, mining)
    page.save_revision().publish()
    return page, mining, water


def topics_and_reads(gql, query=TOPICS):
    with CaptureQueriesContext(connection) as captured:
        data = gql(query)
    reads = [q for q in captured.captured_queries if "news_taggednewspage" in q["sql"]]
    return data["news"]["items"], len(reads)


def test_topics_are_read_once_per_generation_in_name_order(gql, filed):
    items, reads = topics_and_reads(gql)
    assert items == [
        {
            "title": "Conga",
            "topics": [{"name": "Mining", "slug": "mining"}, {"name": "Water", "slug": "water"}],
        }
    ]
    assert reads == 1
    assert topics_and_reads(gql) == (items, 0)


def test_a_renamed_topic_shows_on_the_next_request(gql, filed):
    _, mining, _ = filed
    topics_and_reads(gql)
    mining.name = "Mining conflicts"
    mining.save()
    items, reads = topics_and_reads(gql)
    assert [topic["name"] for topic in items[0]["topics"]] == ["Mining conflicts", "Water"] and reads == 1


def test_an_item_filed_under_other_topics_shows_them_on_the_next_request(gql, filed):
    page, mining, _ = filed
    topics_and_reads(gql)
    page.topics.set([mining])
    page.save_revision().publish()
    items, _ = topics_and_reads(gql)
    assert [topic["slug"] for topic in items[0]["topics"]] == ["mining"]


def test_a_listing_that_shows_no_topics_reads_none(gql, filed):
    items, reads = topics_and_reads(gql, "{ news { items { title } } }")
    assert items == [{"title": "Conga"}] and reads == 0
