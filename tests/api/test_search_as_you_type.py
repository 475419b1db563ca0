"""Search as readers type: words not yet finished, highlighted titles and snippets, typos in titles
on PostgreSQL; only public pages, as ever."""

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from api.search import trigrams_available
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

HITS = """query($q: String!) { search(query: $q) { items { title }
  hits { title snippet page { path } } pagination { totalCount } } }"""


@pytest.fixture
def news_index():
    return make_site()[1]


@pytest.fixture
def bambas(news_index):
    return NewsPageFactory(
        parent=news_index,
        title="Violence at Las Bambas, again",
        slug="bambas",
        summary="Protesters at the Las Bambas copper mine in Apurímac clashed with police <again> & again.",
    )


def titles(gql, query):
    return [item["title"] for item in gql(HITS, {"q": query})["search"]["items"]]


def test_a_word_being_typed_finds_the_page(gql, bambas, news_index):
    NewsPageFactory(parent=news_index, title="Bamba the dog", slug="dog", summary="No mine here.")
    assert "Violence at Las Bambas, again" in titles(gql, "Bambas")
    # Both: the dog by the whole word (and by its stem on PostgreSQL), Las Bambas as typed so far.
    assert sorted(titles(gql, "Bamba")) == ["Bamba the dog", "Violence at Las Bambas, again"]
    assert titles(gql, "las bamb") == ["Violence at Las Bambas, again"]
    assert titles(gql, "copper mi") == ["Violence at Las Bambas, again"]  # the summary, too
    assert titles(gql, "Bambaz") == [] or trigrams_available()


def test_hits_mark_what_matched_and_escape_everything_else(gql, bambas):
    # The last word may be unfinished, as it is while someone types.
    (hit,) = gql(HITS, {"q": "police bamba"})["search"]["hits"]
    assert hit["page"] == {"path": "/news/bambas/"}
    assert hit["title"] == "Violence at Las <mark>Bambas</mark>, again"
    assert hit["snippet"] == (
        "Protesters at the Las <mark>Bambas</mark> copper mine in Apurímac clashed with "
        "<mark>police</mark> &lt;again&gt; &amp; again."
    )


def test_single_letters_mark_nothing(gql, bambas):
    # Found ("a" starts "again"), but a single letter would mark half the words.
    (hit,) = gql(HITS, {"q": "Bambas a"})["search"]["hits"]
    assert hit["title"] == "Violence at Las <mark>Bambas</mark>, again"


def test_long_texts_are_cut_around_the_first_match(gql, news_index):
    words = " ".join(f"word{i}" for i in range(80))
    body = [("paragraph", f"<p>{words} Huancavelica {words}</p>")]
    NewsPageFactory(parent=news_index, title="Long", slug="long", summary="A long report.", body=body)
    (hit,) = gql(HITS, {"q": "huancaveli"})["search"]["hits"]
    snippet = hit["snippet"]
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Huancavelica</mark>" in snippet and len(snippet) < 260


def test_words_being_typed_never_find_hidden_pages(gql, bambas, news_index):
    NewsPageFactory(parent=news_index, title="Bambas draft", slug="draft", live=False)
    private = NewsPageFactory(parent=news_index, title="Bambas members", slug="members")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert titles(gql, "bamb") == ["Violence at Las Bambas, again"]
    news = gql('{ news(search: "bamb") { items { title } } }')["news"]["items"]
    assert news == [{"title": "Violence at Las Bambas, again"}]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos are caught with PostgreSQL's pg_trgm")
def test_a_typo_in_a_title_still_finds_it_on_postgresql(gql, bambas, news_index):
    NewsPageFactory(parent=news_index, title="Forest restoration reported", slug="forest")
    assert trigrams_available()
    assert titles(gql, "Bambs") == ["Violence at Las Bambas, again"]
    assert titles(gql, "restoraton") == ["Forest restoration reported"]
    assert titles(gql, "forest restoraton") == ["Forest restoration reported"]
    # Every word must nearly match: a title sharing only some of them is no near miss.
    assert titles(gql, "hidden-restoraton") == []
    # Only when the words as typed match nothing: a real match is never pushed down by near misses.
    assert titles(gql, "forest") == ["Forest restoration reported"]


def test_without_trigrams_a_typo_finds_nothing_and_fails_nothing(gql, bambas):
    if trigrams_available():
        pytest.skip("this database has pg_trgm")
    data = gql(HITS, {"q": "Bambs"})["search"]
    assert data == {"items": [], "hits": [], "pagination": data["pagination"]}
    assert data["pagination"]["totalCount"] == 0
