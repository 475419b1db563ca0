"""Listings run SQL compiled once per shape (cms/compiled_sql.py): the second request for a listing
compiles nothing, every filter, order and page still gets its own SQL and its own rows, and
whatever the trace cannot vouch for compiles as Django always does."""

import datetime
import pickle
import uuid
from decimal import Decimal

import pytest
from django.db.models import F, Q, Subquery
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from api.visibility import public_pages
from cms import compiled_sql
from cms.listing_columns import leave_out
from events.models import EventPage
from news.models import NewsPage, Topic
from tests.factories import EventPageFactory, NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

NEWS = """query N($topic: String, $year: Int, $page: Int, $size: Int, $order: NewsOrder) {
  news(topic: $topic, year: $year, page: $page, pageSize: $size, order: $order) { items { title } }
}"""


@pytest.fixture(autouse=True)
def _fresh():
    compiled_sql.forget()
    yield
    compiled_sql.forget()


@pytest.fixture
def news():
    _, news_index, _ = make_site()
    mining, health = TopicFactory(name="Mining", slug="mining"), TopicFactory(name="Health", slug="health")
    items = []
    for i in range(6):
        page = NewsPageFactory(
            parent=news_index, title=f"Item {i}", publication_date=datetime.date(2024 + i % 2, 1, 1 + i)
        )
        page.topics.add(mining if i % 2 else health)
        page.save_revision().publish()
        items.append(page)
    return items


@pytest.fixture
def compiles(monkeypatch):
    """How many times Django compiles a NewsPage (an EventPage) query from here on."""
    counted = {"news": 0, "events": 0}
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        if self.query.model is NewsPage:
            counted["news"] += 1
        if self.query.model is EventPage:
            counted["events"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return counted


def titles(gql, **variables):
    # A new comment each time: a new document, past the response cache, as the bench's uncached row.
    data = gql(NEWS + f"\n# {uuid.uuid4().hex}\n", variables)
    return [item["title"] for item in data["news"]["items"]]


def test_from_the_third_request_a_listing_compiles_nothing(news, gql, compiles, settings):
    settings.COMPILED_SQL_VERIFY = False
    first = titles(gql, size=3)
    assert compiles["news"] == 1  # met once: compiled as Django does, not kept
    assert titles(gql, size=3) == first
    assert compiles["news"] == 2  # met again: compiled and kept
    for _ in range(3):
        assert titles(gql, size=3) == first
    assert compiles["news"] == 2


def test_each_filter_order_and_page_runs_its_own_sql(news, gql, compiles, settings):
    settings.COMPILED_SQL_VERIFY = False
    newest = [p.title for p in sorted(news, key=lambda p: (p.publication_date, p.pk), reverse=True)]
    cases = [
        ({"size": 3}, newest[:3]),
        ({"size": 3, "page": 2}, newest[3:6]),
        ({"size": 2}, newest[:2]),
        ({"size": 10, "topic": "mining"}, [t for t in newest if int(t[-1]) % 2]),
        ({"size": 10, "topic": "health"}, [t for t in newest if not int(t[-1]) % 2]),
        ({"size": 10, "year": 2024}, [t for t in newest if not int(t[-1]) % 2]),
        ({"size": 10, "order": "OLDEST_FIRST"}, newest[::-1]),
        ({"size": 10, "order": "TITLE"}, sorted(newest)),
    ]
    for variables, expected in cases * 3:  # the third round reuses each one's SQL
        assert titles(gql, **variables) == expected, variables
    assert compiles["news"] == 2 * len(cases)


def test_upcoming_events_compare_with_the_facts_moment_and_compile_once(gql, compiles, settings):
    # The clock filter uses the moment the facts were read, not each request's: the same SQL.
    settings.COMPILED_SQL_VERIFY = False
    _home, _news, events_index = make_site()
    now = timezone.now()
    for hours in (1, 2):
        EventPageFactory(
            parent=events_index,
            title=f"In {hours} h",
            starts_at=now + datetime.timedelta(hours=hours),
            ends_at=now + datetime.timedelta(hours=hours, minutes=30),
        )
    query = "{ events { items { title } } }"
    gql(query)  # the facts are read (their own aggregates), and the listing met once
    compiles["events"] = 0
    answers = [gql(query + f"\n# {n}\n")["events"]["items"] for n in range(5)]
    assert all([item["title"] for item in answer] == ["In 1 h", "In 2 h"] for answer in answers)
    assert compiles["events"] == 1  # met again, compiled and kept; then reused


def test_new_content_shows_with_sql_compiled_before(news, gql, settings):
    settings.COMPILED_SQL_VERIFY = False
    before = titles(gql, size=3)
    latest = NewsPageFactory(
        parent=news[0].get_parent(), title="Latest", publication_date=datetime.date(2030, 1, 1)
    )
    latest.save_revision().publish()
    assert titles(gql, size=3) == ["Latest", *before[:2]]


def test_what_the_trace_cannot_vouch_for_is_not_traced(news):
    base = public_pages(NewsPage)
    assert compiled_sql.TRACE in base.__dict__
    traced = [base.filter(title="x"), base.order_by("-pk"), base.select_related("main_image"), base[0:2]]
    assert all(compiled_sql.TRACE in qs.__dict__ for qs in traced)
    untraced = [
        base.reverse(),
        base.values("title"),
        base.annotate(n=F("pk")),
        base.extra(where=["1=1"]),
        base.distinct(),
        base.filter(pk__in=Subquery(NewsPage.objects.values("pk"))),
        base.filter(pk__in=NewsPage.objects.values("pk")),
        base.filter(title=F("slug")),
        base.none(),
    ]
    assert not any(compiled_sql.TRACE in qs.__dict__ for qs in untraced)


def test_arguments_are_told_apart_by_type_and_value():
    key = compiled_sql._value_key
    assert len({key(1), key(1.0), key(True), key(Decimal(1)), key("1")}) == 5
    assert key(Q(a=1) | Q(b=2)) == key(Q(a=1) | Q(b=2)) != key(Q(a=1) & Q(b=2))
    assert key(~Q(a=1)) != key(Q(a=1))
    assert key(datetime.date(2024, 1, 1)) != key(datetime.datetime(2024, 1, 1))
    assert key([1, 2]) != key([2, 1]) and key({1, 2}) == key({2, 1})
    too_long = (list(range(compiled_sql.MAX_ITEMS + 1)), "x" * (compiled_sql.MAX_CHARS + 1))
    for unknown in (F("a"), object(), NewsPage.objects.all(), Topic(pk=1), *too_long):
        with pytest.raises(compiled_sql._Unkeyable):
            key(unknown)


def test_verification_catches_a_query_changed_behind_the_traces_back(news):
    listing = leave_out(public_pages(NewsPage).order_by("pk"), "body")
    for _ in range(2):  # met twice: kept
        assert len(list(listing[0:10])) == 6
    changed = listing[0:10]
    changed.query.add_q(Q(title="Item 1"))  # a change no traced method made
    with pytest.raises(AssertionError, match="differs from the SQL compiled"):
        list(changed)


def test_a_traced_listing_pickles_as_its_plain_queryset(news):
    listing = public_pages(NewsPage).order_by("pk")
    restored = pickle.loads(pickle.dumps(listing))  # noqa: S301 - our own bytes
    assert type(restored).__name__ == type(NewsPage.objects.all()).__name__
    assert [p.pk for p in restored] == [p.pk for p in listing]


def test_topics_listing_is_unaffected(news, gql):
    # Topic counts take public news as a subquery (`values()`, which drops the trace): as before.
    data = gql("{ newsTopics { name count } }")
    assert {t["name"]: t["count"] for t in data["newsTopics"]} == {"Mining": 3, "Health": 3}
    assert Topic.objects.count() == 2
