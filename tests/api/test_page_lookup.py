"""Looking pages up as the frontend does: by path or id, redirects, sitemap, search and rich text."""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from tests.factories import NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db

BY_PATH = "query($path: String) { page(path: $path) { __typename id title path } }"


@pytest.fixture
def site():
    return make_site()


@pytest.fixture
def news_item(site):
    _home, news_index, _events_index = site
    return NewsPageFactory(parent=news_index, title="Loreto oil spills", slug="loreto-oil-spills")


def _by_path(gql, path):
    return gql(BY_PATH, {"path": path})["page"]


def test_page_by_path_is_its_specific_type(gql, news_item):
    page = _by_path(gql, "/news/loreto-oil-spills/")
    assert page == {
        "__typename": "NewsPage",
        "id": str(news_item.id),
        "title": "Loreto oil spills",
        "path": "/news/loreto-oil-spills/",
    }


def test_page_by_path_without_trailing_slash(gql, news_item):
    assert _by_path(gql, "/news/loreto-oil-spills")["id"] == str(news_item.id)


def test_home_page_by_root_path(gql, site):
    assert _by_path(gql, "/")["__typename"] == "HomePage"


def test_page_by_id(gql, news_item):
    data = gql("query($id: ID) { page(id: $id) { __typename title } }", {"id": str(news_item.id)})
    assert data["page"] == {"__typename": "NewsPage", "title": "Loreto oil spills"}


def test_missing_path_is_null(gql, site):
    assert _by_path(gql, "/news/no-such-story/") is None


def test_missing_id_is_null(gql, site):
    assert gql('{ page(id: "999999") { title } }')["page"] is None


def test_path_without_leading_slash_is_a_user_input_error(gql, news_item):
    _status, errors = gql.errors('{ page(path: "news/loreto-oil-spills/") { title } }')
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("arguments", ["", '(path: "/news/", id: "1")', '(id: "abc")'])
def test_page_needs_exactly_one_of_path_or_a_numeric_id(gql, site, arguments):
    _status, errors = gql.errors(f"{{ page{arguments} {{ title }} }}")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_page_under_an_unpublished_parent_is_not_returned(gql, site):
    home, _news_index, _events_index = site
    parent = StandardPageFactory(parent=home, title="About", slug="about")
    child = StandardPageFactory(parent=parent, title="Aims", slug="aims")
    assert _by_path(gql, "/about/aims/")["title"] == "Aims"
    parent.unpublish()
    assert _by_path(gql, "/about/aims/") is None
    assert gql("query($id: ID) { page(id: $id) { title } }", {"id": str(child.id)})["page"] is None


def test_password_protected_page_is_not_returned(gql, news_item):
    PageViewRestriction.objects.create(page=news_item, restriction_type="password", password="secret")
    assert _by_path(gql, "/news/loreto-oil-spills/") is None


def test_page_under_a_password_protected_section_is_not_returned(gql, site, news_item):
    _home, news_index, _events_index = site
    PageViewRestriction.objects.create(page=news_index, restriction_type="password", password="secret")
    assert _by_path(gql, "/news/loreto-oil-spills/") is None


def test_expired_page_still_marked_live_is_not_returned(gql, news_item):
    Page.objects.filter(pk=news_item.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    assert Page.objects.get(pk=news_item.pk).live
    assert _by_path(gql, "/news/loreto-oil-spills/") is None


def test_page_scheduled_for_later_but_marked_live_is_not_returned(gql, news_item):
    Page.objects.filter(pk=news_item.pk).update(go_live_at=timezone.now() + datetime.timedelta(days=1))
    assert _by_path(gql, "/news/loreto-oil-spills/") is None


def test_page_under_an_expired_section_is_not_returned(gql, site, news_item):
    _home, news_index, _events_index = site
    Page.objects.filter(pk=news_index.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    assert _by_path(gql, "/news/loreto-oil-spills/") is None


def test_redirect_to_a_page_gives_its_frontend_path(gql, news_item):
    Redirect.objects.create(old_path=Redirect.normalise_path("/old-news/loreto/"), redirect_page=news_item)
    data = gql('{ redirect(path: "/old-news/loreto/") { oldPath location isPermanent } }')
    assert data["redirect"] == {
        "oldPath": "/old-news/loreto/",
        "location": "/news/loreto-oil-spills/",
        "isPermanent": True,
    }


def test_redirect_for_unknown_path_is_null(gql, site):
    assert gql('{ redirect(path: "/nowhere/") { location } }')["redirect"] is None


def test_sitemap_lists_public_pages_with_last_modified(gql, site, news_item):
    home, _news_index, _events_index = site
    StandardPageFactory(parent=home, title="Draft", slug="draft").unpublish()
    news_item.save_revision().publish()  # as editors publish: sets last_published_at
    entries = gql("{ sitemap { path url lastModified } }")["sitemap"]
    paths = [entry["path"] for entry in entries]
    assert sorted(paths) == ["/", "/events/", "/news/", "/news/loreto-oil-spills/"]
    story = next(entry for entry in entries if entry["path"] == "/news/loreto-oil-spills/")
    assert story["url"] == "https://frontend.test/news/loreto-oil-spills/"
    news_item.refresh_from_db()
    assert datetime.datetime.fromisoformat(story["lastModified"]) == news_item.last_published_at


def test_search_finds_a_standing_page_by_a_word_in_its_summary(gql, site):
    home, _news_index, _events_index = site
    StandardPageFactory(
        parent=home, title="Aims", slug="aims", summary="PSG campaigns on extractivism in Peru."
    )
    StandardPageFactory(parent=home, title="History", slug="history", summary="Founded in 1983.")
    results = gql('{ search(query: "extractivism") { items { __typename title path } } }')["search"]
    assert results["items"] == [{"__typename": "StandardPage", "title": "Aims", "path": "/aims/"}]


@pytest.mark.parametrize("term", ["", "   ", "*", "?!"])
def test_a_search_with_no_words_is_refused_saying_so(gql, site, term):
    status, errors = gql.errors("query ($q: String!) { search(query: $q) { items { title } } }", {"q": term})
    assert status == 400
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "query"}
    assert errors[0]["message"] == "`query` has no words to search for: send at least one letter or digit."


BODY = """
query($path: String) {
  page(path: $path) { ... on StandardPage { body { ... on ParagraphBlock { html } } } }
}
"""


def _paragraph(gql, path):
    [block] = gql(BODY, {"path": path})["page"]["body"]
    return block["html"]


def test_rich_text_links_to_public_pages_point_at_the_frontend(gql, site, news_item):
    home, _news_index, _events_index = site
    html = f'<p>Read <a linktype="page" id="{news_item.id}">the story</a>.</p>'
    StandardPageFactory(parent=home, slug="links", body=[("paragraph", RichText(html))])
    rendered = _paragraph(gql, "/links/")
    assert '<a href="https://frontend.test/news/loreto-oil-spills/">the story</a>' in rendered
    assert "linktype" not in rendered


def test_rich_text_links_to_unpublished_pages_become_plain_text(gql, site, news_item):
    home, _news_index, _events_index = site
    news_item.unpublish()
    html = f'<p>Read <a linktype="page" id="{news_item.id}">the story</a>.</p>'
    StandardPageFactory(parent=home, slug="links", body=[("paragraph", RichText(html))])
    rendered = _paragraph(gql, "/links/")
    assert rendered == "<p>Read the story.</p>"


@pytest.mark.parametrize(
    "field",
    ["draftTitle", "owner { id }", "goLiveAt", "hasUnpublishedChanges", "latestRevisionCreatedAt", "locked"],
)
def test_editorial_fields_are_not_in_the_schema(gql, field):
    status, errors = gql.errors(f'{{ page(path: "/news/x/") {{ ... on NewsPage {{ {field} }} }} }}')
    assert status == 400
    assert "Cannot query field" in errors[0]["message"]
