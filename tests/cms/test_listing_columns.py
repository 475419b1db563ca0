"""Listings leave columns out (cms/listing_columns.py): one read of a left-out field loads it for the
whole list in one query, with the values a fully loaded page has; nothing else changes."""

import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.listing_columns import EDITING_COLUMNS, PEERS, leave_out
from news.models import NewsPage
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

BODY = [("paragraph", "<p>Mining in Cajamarca</p>")]


@pytest.fixture
def news():
    _, news_index, _ = make_site()
    return [
        NewsPageFactory(parent=news_index, title=f"Item {i}", body=[("paragraph", f"<p>Story {i}</p>")])
        for i in range(5)
    ]


def listing():
    return leave_out(NewsPage.objects.order_by("pk"), "body", *EDITING_COLUMNS)


def test_reading_a_left_out_field_loads_it_for_the_whole_list_in_one_query(news):
    pages = list(listing())
    assert all({"body", "draft_title", "locked"} <= page.get_deferred_fields() for page in pages)
    with CaptureQueriesContext(connection) as captured:
        bodies = [page.body.raw_data[0]["value"] for page in pages]
        drafts = [page.draft_title for page in pages]
        owners = [page.owner_id for page in pages]
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]
    assert bodies == [f"<p>Story {i}</p>" for i in range(5)]
    loaded = list(NewsPage.objects.order_by("pk"))
    assert drafts == [page.draft_title for page in loaded]
    assert owners == [page.owner_id for page in loaded]
    assert not any(page.get_deferred_fields() for page in pages)


def test_left_out_values_are_those_of_a_page_loaded_whole(news):
    listed = {page.pk: page for page in listing()}
    for whole in NewsPage.objects.all():
        page = listed[whole.pk]
        for field in NewsPage._meta.concrete_fields:
            assert getattr(page, field.attname) == getattr(whole, field.attname), field.attname


def test_a_page_not_listed_this_way_loads_a_deferred_field_as_django_does(news):
    pages = list(NewsPage.objects.order_by("pk").defer("body"))
    with CaptureQueriesContext(connection) as captured:
        for page in pages:
            page.body  # noqa: B018 - the read is the test
    assert len(captured.captured_queries) == len(pages)


def test_a_page_deleted_since_it_was_listed_fails_as_django_says_and_the_others_load(news):
    pages = list(listing())
    NewsPage.objects.filter(pk=pages[0].pk).delete()
    with pytest.raises(NewsPage.DoesNotExist):
        pages[0].body  # noqa: B018
    assert pages[1].body.raw_data[0]["value"] == "<p>Story 1</p>"


def test_a_pickled_page_does_not_carry_its_listing(news):
    page = next(iter(listing()))
    assert PEERS in vars(page)
    copy = pickle.loads(pickle.dumps(page))  # noqa: S301 - our own bytes
    assert PEERS not in vars(copy)
    assert copy.body.raw_data[0]["value"] == "<p>Story 0</p>"
