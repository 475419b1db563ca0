"""Totals are counted only when a query asks for them, kept per content generation, never stale."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import EventPageFactory, NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

TOTALS = """query($size: Int, $page: Int) { news(pageSize: $size, page: $page) {
  items { title } pagination { totalCount totalPages hasNextPage hasPreviousPage } } }"""


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    # The totals' own cache is under test here, not the whole-answer cache.
    settings.GRAPHQL_RESPONSE_CACHE = False


@pytest.fixture
def sections():
    _home, news_index, events_index = make_site()
    return news_index, events_index


def counts_run(gql, query, variables):
    with CaptureQueriesContext(connection) as captured:
        data = gql(query, variables)
    return data, sum("COUNT(*)" in q["sql"] for q in captured.captured_queries)


def test_no_count_when_no_total_is_selected(gql, sections):
    for n in range(3):
        NewsPageFactory(parent=sections[0], title=f"Item {n}")
    data, counted = counts_run(gql, "{ news(pageSize: 2) { items { title } } }", None)
    assert len(data["news"]["items"]) == 2
    assert counted == 0


def test_a_partly_filled_page_tells_the_total_without_counting(gql, sections):
    for n in range(5):
        NewsPageFactory(parent=sections[0], title=f"Item {n}")
    data, counted = counts_run(gql, TOTALS, {"size": 2, "page": 3})
    assert data["news"]["pagination"] == {
        "totalCount": 5,
        "totalPages": 3,
        "hasNextPage": False,
        "hasPreviousPage": True,
    }
    assert counted == 0


def test_total_is_counted_once_then_follows_publishing(gql, sections):
    news_index = sections[0]
    pages = [NewsPageFactory(parent=news_index, title=f"Item {n}") for n in range(3)]
    first, counted = counts_run(gql, TOTALS, {"size": 2})
    assert first["news"]["pagination"]["totalCount"] == 3 and counted == 1
    again, counted = counts_run(gql, TOTALS, {"size": 2})
    assert again == first and counted == 0

    NewsPageFactory(parent=news_index, title="Published later")
    data, counted = counts_run(gql, TOTALS, {"size": 2})
    assert data["news"]["pagination"]["totalCount"] == 4 and counted == 1

    pages[0].unpublish()
    data, _ = counts_run(gql, TOTALS, {"size": 2})
    assert data["news"]["pagination"]["totalCount"] == 3
    assert data["news"]["pagination"]["totalPages"] == 2


def test_total_follows_an_expiry_passing(gql, sections):
    news_index = sections[0]
    soon = timezone.now() + datetime.timedelta(seconds=2)
    for n in range(3):
        NewsPageFactory(parent=news_index, title=f"Item {n}")
    NewsPageFactory(parent=news_index, title="Expiring", expire_at=soon)
    data, _ = counts_run(gql, TOTALS, {"size": 2})
    assert data["news"]["pagination"]["totalCount"] == 4
    later = soon + datetime.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        data, counted = counts_run(gql, TOTALS, {"size": 2})
    assert data["news"]["pagination"]["totalCount"] == 3 and counted == 1


def test_event_totals_are_kept_too(gql, sections):
    events_index = sections[1]
    start = timezone.now() + datetime.timedelta(days=3)
    for n in range(3):
        EventPageFactory(parent=events_index, title=f"Event {n}", starts_at=start)
    query = "{ events(pageSize: 2) { items { title } pagination { totalCount } } }"
    first, counted = counts_run(gql, query, None)
    assert first["events"]["pagination"]["totalCount"] == 3 and counted == 1
    again, counted = counts_run(gql, query, None)
    assert again == first and counted == 0
