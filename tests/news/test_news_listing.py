"""The `news` listing as a frontend queries it: order, totals, filters, search and bad arguments."""

import datetime

import pytest

from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

LISTING = """
query($page: Int, $pageSize: Int, $topic: String, $year: Int, $month: Int, $search: String) {
  news(page: $page, pageSize: $pageSize, topic: $topic, year: $year, month: $month, search: $search) {
    items { title publicationDate }
    pagination { page pageSize totalCount totalPages hasNextPage hasPreviousPage }
  }
}
"""


@pytest.fixture
def news_index():
    return make_site()[1]


def _item(news_index, title, date, *topics, summary=None):
    page = NewsPageFactory(
        parent=news_index, title=title, publication_date=date, summary=summary or f"Summary of {title}."
    )
    if topics:
        page.topics.add(*topics)
        page.save()
    return page


def _news(gql, **variables):
    return gql(LISTING, variables)["news"]


def _titles(news):
    return [item["title"] for item in news["items"]]


def _pagination(page, page_size, total, pages, has_next, has_previous):
    return {
        "page": page,
        "pageSize": page_size,
        "totalCount": total,
        "totalPages": pages,
        "hasNextPage": has_next,
        "hasPreviousPage": has_previous,
    }


def test_newest_first_by_publication_date(gql, news_index):
    _item(news_index, "Middle", datetime.date(2017, 5, 1))
    _item(news_index, "Newest", datetime.date(2019, 1, 2))
    _item(news_index, "Oldest", datetime.date(2016, 3, 4))
    news = _news(gql)
    assert _titles(news) == ["Newest", "Middle", "Oldest"]
    assert [item["publicationDate"] for item in news["items"]] == ["2019-01-02", "2017-05-01", "2016-03-04"]


@pytest.fixture
def five_items(news_index):
    return [_item(news_index, f"Item {n}", datetime.date(2016, 1, n)) for n in range(1, 6)]


def test_first_page_totals(gql, five_items):
    news = _news(gql, page=1, pageSize=2)
    assert _titles(news) == ["Item 5", "Item 4"]
    assert news["pagination"] == _pagination(1, 2, 5, 3, True, False)


def test_last_page_totals(gql, five_items):
    news = _news(gql, page=3, pageSize=2)
    assert _titles(news) == ["Item 1"]
    assert news["pagination"] == _pagination(3, 2, 5, 3, False, True)


def test_page_past_the_end_is_empty_with_correct_totals(gql, five_items):
    news = _news(gql, page=9, pageSize=2)
    assert news["items"] == []
    assert news["pagination"] == _pagination(9, 2, 5, 3, False, True)


def test_empty_listing(gql, news_index):
    news = _news(gql)
    assert news["items"] == []
    assert news["pagination"] == _pagination(1, 10, 0, 0, False, False)


def test_filter_by_topic_slug(gql, news_index):
    mining = TopicFactory(name="Mining", slug="mining")
    rights = TopicFactory(name="Human rights", slug="human-rights")
    _item(news_index, "Tía María", datetime.date(2019, 8, 1), mining)
    _item(news_index, "Both", datetime.date(2019, 7, 1), mining, rights)
    _item(news_index, "Defenders", datetime.date(2019, 6, 1), rights)
    assert _titles(_news(gql, topic="mining")) == ["Tía María", "Both"]
    assert _titles(_news(gql, topic="human-rights")) == ["Both", "Defenders"]
    assert _titles(_news(gql, topic="no-such-topic")) == []


def test_filter_by_year_and_month(gql, news_index):
    _item(news_index, "March 2018", datetime.date(2018, 3, 15))
    _item(news_index, "April 2018", datetime.date(2018, 4, 1))
    _item(news_index, "March 2019", datetime.date(2019, 3, 15))
    assert _titles(_news(gql, year=2018)) == ["April 2018", "March 2018"]
    assert _titles(_news(gql, year=2018, month=3)) == ["March 2018"]
    assert _news(gql, year=2018, month=3)["pagination"]["totalCount"] == 1
    assert _titles(_news(gql, year=2020)) == []


def test_search_finds_items_by_title_words(gql, news_index):
    _item(news_index, "Loreto oil spills: conflict continues", datetime.date(2016, 10, 3))
    _item(news_index, "Elections in Lima", datetime.date(2016, 10, 4))
    news = _news(gql, search="oil spills")
    assert _titles(news) == ["Loreto oil spills: conflict continues"]
    assert news["pagination"]["totalCount"] == 1


@pytest.mark.parametrize("empty", ["", "   ", "\t\n"])
def test_an_empty_search_box_is_no_search(gql, news_index, empty):
    # A frontend may pass its search box straight through: empty lists everything, newest first.
    _item(news_index, "Loreto oil spills: conflict continues", datetime.date(2016, 10, 3))
    _item(news_index, "Elections in Lima", datetime.date(2016, 10, 4))
    news = _news(gql, search=empty)
    assert _titles(news) == ["Elections in Lima", "Loreto oil spills: conflict continues"]
    assert news["pagination"]["totalCount"] == 2


def test_order_oldest_first_and_by_title(gql, news_index):
    _item(news_index, "Bravo", datetime.date(2017, 1, 1))
    _item(news_index, "Charlie", datetime.date(2016, 1, 1))
    _item(news_index, "Alpha", datetime.date(2018, 1, 1))
    oldest = gql("{ news(order: OLDEST_FIRST) { items { title } } }")["news"]
    by_title = gql("{ news(order: TITLE) { items { title } } }")["news"]
    assert _titles(oldest) == ["Charlie", "Bravo", "Alpha"]
    assert _titles(by_title) == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize(
    "arguments, argument",
    [
        ("page: 0", "page"),
        ("pageSize: 0", "pageSize"),
        ("pageSize: 51", "pageSize"),
        ("year: 2018, month: 13", "month"),
        ("month: 3", "month"),
        ('search: "' + "x" * 101 + '"', "search"),
        ("order: RELEVANCE", "order"),
    ],
)
def test_bad_arguments_are_user_input_errors(gql, news_index, arguments, argument):
    _status, errors = gql.errors(f"{{ news({arguments}) {{ items {{ title }} }} }}")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert errors[0]["extensions"]["argument"] == argument


@pytest.mark.parametrize("order", ['"title"', "BOGUS"])
def test_invalid_order_value_is_refused_by_the_schema(gql, news_index, order):
    status, errors = gql.errors(f"{{ news(order: {order}) {{ items {{ title }} }} }}")
    assert status == 400
    assert "order" in errors[0]["message"].lower() or "NewsOrder" in errors[0]["message"]


def test_news_topics_count_only_public_news(gql, news_index):
    mining = TopicFactory(name="Mining", slug="mining")
    rights = TopicFactory(name="Human rights", slug="human-rights")
    TopicFactory(name="Unused", slug="unused")
    _item(news_index, "Public mining", datetime.date(2019, 1, 1), mining)
    _item(news_index, "Public both", datetime.date(2019, 1, 2), mining, rights)
    _item(news_index, "Draft rights", datetime.date(2019, 1, 3), rights).unpublish()
    _item(news_index, "Draft mining", datetime.date(2019, 1, 4), mining).unpublish()
    topics = gql("{ newsTopics { name slug count } }")["newsTopics"]
    assert topics == [
        {"name": "Mining", "slug": "mining", "count": 2},
        {"name": "Human rights", "slug": "human-rights", "count": 1},
    ]


def test_news_topics_leave_out_topics_with_only_unpublished_news(gql, news_index):
    rights = TopicFactory(name="Human rights", slug="human-rights")
    _item(news_index, "Draft rights", datetime.date(2019, 1, 3), rights).unpublish()
    assert gql("{ newsTopics { slug count } }")["newsTopics"] == []


@pytest.fixture
def unpublished(news_index):
    _item(news_index, "Public Cajamarca story", datetime.date(2019, 1, 1))
    draft = _item(news_index, "Unpublished Cajamarca story", datetime.date(2019, 1, 2))
    draft.unpublish()
    return draft


def test_unpublished_news_is_not_listed(gql, unpublished):
    news = _news(gql)
    assert _titles(news) == ["Public Cajamarca story"]
    assert news["pagination"]["totalCount"] == 1


def test_unpublished_news_is_not_found_by_listing_search(gql, unpublished):
    assert _titles(_news(gql, search="Cajamarca")) == ["Public Cajamarca story"]


def test_unpublished_news_is_not_found_by_path(gql, unpublished):
    data = gql("query($path: String) { page(path: $path) { title } }", {"path": f"/news/{unpublished.slug}/"})
    assert data["page"] is None


def test_unpublished_news_is_not_found_by_site_search(gql, unpublished):
    results = gql('{ search(query: "Cajamarca") { items { title } pagination { totalCount } } }')["search"]
    assert [item["title"] for item in results["items"]] == ["Public Cajamarca story"]
    assert results["pagination"]["totalCount"] == 1


def test_unpublished_news_is_not_in_the_sitemap(gql, unpublished):
    paths = [entry["path"] for entry in gql("{ sitemap { path } }")["sitemap"]]
    assert f"/news/{unpublished.slug}/" not in paths
    assert "/news/public-cajamarca-story/" in paths


def test_news_created_as_draft_is_never_listed(gql, news_index):
    NewsPageFactory(parent=news_index, title="Never published", live=False)
    assert _news(gql)["items"] == []
