"""The site's redirects as one paginated list, for a frontend's build or an edge redirect table."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

REDIRECTS = """query($page: Int, $size: Int) { redirects(page: $page, pageSize: $size) {
  items { oldPath location isPermanent } pagination { totalCount totalPages hasNextPage } } }"""


def add(old_path, **target):
    return Redirect.objects.create(old_path=Redirect.normalise_path(old_path), **target)


@pytest.fixture
def site():
    home, news_index, _events = make_site()
    public = NewsPageFactory(parent=news_index, title="Opposition to TPP", slug="opposition-to-tpp")
    draft = NewsPageFactory(parent=news_index, title="Secret draft", slug="secret-draft-slug")
    draft.unpublish()
    return home, public, draft


def test_redirects_to_public_targets_are_listed_by_old_path(gql, site):
    _home, public, draft = site
    add("/news/tpp/", redirect_page=public, is_permanent=True)
    add("/donate/", redirect_link="https://example.org/donate", is_permanent=False)
    add("/old-draft/", redirect_page=draft)
    add("/typed-draft/", redirect_link="/news/secret-draft-slug/")
    add("/script/", redirect_link="javascript:alert(1)")
    listed = gql(REDIRECTS)["redirects"]
    assert listed["items"] == [
        {"oldPath": "/donate", "location": "https://example.org/donate", "isPermanent": False},
        {"oldPath": "/news/tpp", "location": "/news/opposition-to-tpp/", "isPermanent": True},
    ]
    assert listed["pagination"]["totalCount"] == 2


def test_redirects_of_another_site_are_left_out(gql, site):
    home, public, _draft = site
    other = Site.objects.create(hostname="other.example.org", root_page=home)
    add("/ours/", redirect_page=public, site=Site.objects.get(is_default_site=True))
    add("/everywhere/", redirect_page=public)
    add("/theirs/", redirect_page=public, site=other)
    assert [item["oldPath"] for item in gql(REDIRECTS)["redirects"]["items"]] == ["/everywhere", "/ours"]


def test_the_list_is_paginated(gql, site):
    _home, public, _draft = site
    for i in range(5):
        add(f"/old/{i}/", redirect_page=public)
    second = gql(REDIRECTS, {"page": 2, "size": 2})["redirects"]
    assert [item["oldPath"] for item in second["items"]] == ["/old/2", "/old/3"]
    assert second["pagination"] == {"totalCount": 5, "totalPages": 3, "hasNextPage": True}
    status, errors = gql.errors(REDIRECTS, {"size": 51})
    assert status == 400 and errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
