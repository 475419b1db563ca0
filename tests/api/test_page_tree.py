"""Where a page sits in the site: its parent, breadcrumbs and children, public pages only."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import LONDON, NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db

TREE = """query($path: String!, $page: Int, $size: Int) { page(path: $path) {
  title
  parent { title path }
  ancestors { title path }
  children(page: $page, pageSize: $size) {
    items { title path } pagination { totalCount totalPages hasNextPage }
  }
} }"""


@pytest.fixture
def tree():
    home, news_index, events_index = make_site()
    about = StandardPageFactory(parent=home, title="About", slug="about")
    children = [StandardPageFactory(parent=about, title=f"Child {i}", slug=f"child-{i}") for i in range(3)]
    grandchild = StandardPageFactory(parent=children[0], title="Grandchild", slug="grandchild")
    return home, about, children, grandchild


def test_breadcrumbs_run_from_the_home_page_to_the_parent(gql, tree):
    page = gql(TREE, {"path": "/about/child-0/grandchild/"})["page"]
    assert page["parent"] == {"title": "Child 0", "path": "/about/child-0/"}
    assert [a["path"] for a in page["ancestors"]] == ["/", "/about/", "/about/child-0/"]
    assert page["children"]["items"] == []
    assert page["children"]["pagination"]["totalCount"] == 0


def test_the_home_page_has_no_parent_and_no_ancestors(gql, tree):
    page = gql(TREE, {"path": "/"})["page"]
    assert page["parent"] is None
    assert page["ancestors"] == []
    assert [c["path"] for c in page["children"]["items"]] == ["/news/", "/events/", "/about/"]


def test_children_are_paginated_in_tree_order(gql, tree):
    first = gql(TREE, {"path": "/about/", "size": 2})["page"]["children"]
    assert [c["title"] for c in first["items"]] == ["Child 0", "Child 1"]
    assert first["pagination"] == {"totalCount": 3, "totalPages": 2, "hasNextPage": True}
    second = gql(TREE, {"path": "/about/", "page": 2, "size": 2})["page"]["children"]
    assert [c["title"] for c in second["items"]] == ["Child 2"]


@pytest.mark.parametrize(
    "hide",
    ["unpublish", "restrict", "schedule", "expire"],
)
def test_children_leave_out_what_visitors_may_not_see(gql, tree, hide):
    _home, about, children, _grandchild = tree
    hidden = children[1]
    if hide == "unpublish":
        hidden.unpublish()
    elif hide == "restrict":
        PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="secret")
    elif hide == "schedule":
        hidden.go_live_at = timezone.now() + datetime.timedelta(days=1)
        hidden.save()
    else:
        hidden.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        hidden.save()
    children_seen = gql(TREE, {"path": "/about/"})["page"]["children"]
    assert [c["title"] for c in children_seen["items"]] == ["Child 0", "Child 2"]
    assert children_seen["pagination"]["totalCount"] == 2


def test_a_bad_page_size_is_a_clear_error(gql, tree):
    status, errors = gql.errors(TREE, {"path": "/about/", "size": 0})
    assert status == 400
    assert errors[0]["message"] == "`pageSize` must be between 1 and 50."
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


NEIGHBOURS = """query($path: String!) { page(path: $path) { ... on NewsPage {
  previousItem { title publicationDate } nextItem { title publicationDate } } } }"""


def test_news_items_link_to_the_items_before_and_after_them_by_date(gql):
    _home, news_index, _events = make_site()
    day = datetime.date(2016, 10, 1)
    # Created out of date order: neighbours follow the publication date, not the tree.
    NewsPageFactory(parent=news_index, title="Middle", slug="middle", publication_date=day)
    NewsPageFactory(parent=news_index, title="Newest", slug="newest", publication_date=day.replace(day=9))
    NewsPageFactory(
        parent=news_index, title="Oldest", slug="oldest", publication_date=datetime.date(2016, 9, 20)
    )
    draft = NewsPageFactory(
        parent=news_index, title="Draft", slug="draft", publication_date=day.replace(day=5)
    )
    draft.unpublish()

    middle = gql(NEIGHBOURS, {"path": "/news/middle/"})["page"]
    assert middle["previousItem"] == {"title": "Oldest", "publicationDate": "2016-09-20"}
    # The draft dated between them is skipped.
    assert middle["nextItem"] == {"title": "Newest", "publicationDate": "2016-10-09"}
    assert gql(NEIGHBOURS, {"path": "/news/oldest/"})["page"]["previousItem"] is None
    assert gql(NEIGHBOURS, {"path": "/news/newest/"})["page"]["nextItem"] is None


def test_items_of_one_date_are_ordered_as_the_listing_orders_them(gql):
    _home, news_index, _events = make_site()
    day = datetime.date(2016, 10, 29)
    first = NewsPageFactory(parent=news_index, title="First out", slug="first", publication_date=day)
    second = NewsPageFactory(parent=news_index, title="Second out", slug="second", publication_date=day)
    first.first_published_at = datetime.datetime(2016, 10, 29, 9, 0, tzinfo=LONDON)
    second.first_published_at = datetime.datetime(2016, 10, 29, 15, 0, tzinfo=LONDON)
    first.save()
    second.save()
    listing = gql("{ news { items { title } } }")["news"]["items"]
    assert [item["title"] for item in listing] == ["Second out", "First out"]
    assert gql(NEIGHBOURS, {"path": "/news/second/"})["page"]["previousItem"]["title"] == "First out"
    assert gql(NEIGHBOURS, {"path": "/news/first/"})["page"]["nextItem"]["title"] == "Second out"
