"""public_pages() builds its filter once per set of visibility facts (api/visibility.py) and
hands out copies; the pages it selects are still the ones public at the moment of each request:
scheduled go-lives and expiries take effect on time, and a clock moved back is not misled."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page

from api import visibility
from cms.generation import bump_generation
from cms.request_cache import request_scope
from news.models import NewsPage
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

LISTING = "{ news { items { title } } }"


@pytest.fixture
def news_index():
    return make_site()[1]


def listed(gql):
    return [item["title"] for item in gql(LISTING)["news"]["items"]]


def test_requests_under_the_same_facts_share_one_built_filter(news_index, monkeypatch):
    NewsPageFactory(parent=news_index, title="Cajamarca")
    built = []
    original = visibility._public
    monkeypatch.setattr(visibility, "_public", lambda *args: built.append(args) or original(*args))
    monkeypatch.setattr(visibility, "_built", {})
    queries = []
    for _ in range(3):
        with request_scope():
            queries.append(visibility.public_pages(NewsPage))
    assert len(built) == 1
    assert len({id(query) for query in queries}) == 3  # copies: filtering one leaves the others
    assert str(queries[0].query) == str(queries[2].query)
    narrowed = queries[0].filter(title="Nothing")
    assert list(narrowed) == [] and [page.title for page in queries[1]] == ["Cajamarca"]


def test_a_scheduled_expiry_hides_the_page_on_time(gql, news_index):
    start = timezone.now()
    with freeze_time(start) as clock:
        page = NewsPageFactory(parent=news_index, title="Expiring")
        NewsPageFactory(parent=news_index, title="Staying")
        Page.objects.filter(pk=page.pk).update(expire_at=start + datetime.timedelta(seconds=10))
        bump_generation()
        assert sorted(listed(gql)) == ["Expiring", "Staying"]
        clock.tick(5)
        assert sorted(listed(gql)) == ["Expiring", "Staying"]
        clock.tick(6)
        assert listed(gql) == ["Staying"]


def test_a_scheduled_go_live_shows_the_page_on_time(gql, news_index):
    start = timezone.now()
    with freeze_time(start) as clock:
        page = NewsPageFactory(parent=news_index, title="Embargoed")
        Page.objects.filter(pk=page.pk).update(go_live_at=start + datetime.timedelta(seconds=10))
        bump_generation()
        assert listed(gql) == []
        clock.tick(5)
        assert listed(gql) == []
        clock.tick(6)
        assert listed(gql) == ["Embargoed"]


def test_a_clock_moved_back_before_the_facts_is_not_answered_from_them(news_index):
    start = timezone.now()

    def public_titles():
        with request_scope():
            return [page.title for page in visibility.public_pages(NewsPage)]

    with freeze_time(start) as clock:
        page = NewsPageFactory(parent=news_index, title="Went live at noon")
        Page.objects.filter(pk=page.pk).update(go_live_at=start - datetime.timedelta(minutes=30))
        bump_generation()
        assert public_titles() == ["Went live at noon"]  # the facts are read now, at `start`
        clock.move_to(start - datetime.timedelta(hours=1))
        assert public_titles() == []
