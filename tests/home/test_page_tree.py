"""Where each page type may be created, and how many of each a site may have."""

import pytest
from django.urls import reverse

from events.models import EventIndexPage, EventPage
from home.models import HomePage, JoinPage, StandardPage
from news.models import NewsIndexPage, NewsPage
from tests.factories import StandardPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site()


def test_events_are_created_only_under_the_events_index(site):
    home, news_index, events_index = site
    assert EventPage.can_create_at(events_index)
    assert not EventPage.can_create_at(news_index)
    assert not EventPage.can_create_at(home)


def test_news_is_created_only_under_the_news_index(site):
    home, news_index, events_index = site
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(events_index)
    assert not NewsPage.can_create_at(home)


def test_join_page_is_created_only_under_the_home_page(site):
    home, news_index, events_index = site
    standard = StandardPageFactory(parent=home)
    assert JoinPage.can_create_at(home)
    assert not JoinPage.can_create_at(news_index)
    assert not JoinPage.can_create_at(events_index)
    assert not JoinPage.can_create_at(standard)


def test_standing_pages_nest_under_home_and_each_other_only(site):
    home, news_index, events_index = site
    standard = StandardPageFactory(parent=home)
    assert StandardPage.can_create_at(home)
    assert StandardPage.can_create_at(standard)
    assert not StandardPage.can_create_at(news_index)
    assert not StandardPage.can_create_at(events_index)


def test_there_is_only_one_home_news_index_and_events_index(site):
    home, _news_index, _events_index = site
    root = home.get_parent()
    assert not HomePage.can_create_at(root)
    assert not NewsIndexPage.can_create_at(home)
    assert not EventIndexPage.can_create_at(home)


def test_the_first_home_news_index_and_events_index_can_be_created():
    from wagtail.models import Page

    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root)
    assert HomePage.max_count == NewsIndexPage.max_count == EventIndexPage.max_count == 1


def _add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.id))


def test_admin_add_event_form_opens_under_the_events_index(site, admin_client):
    _home, _news_index, events_index = site
    url = _add_url(EventPage, events_index)
    assert url == f"/admin/pages/add/events/eventpage/{events_index.id}/"
    assert admin_client.get(url).status_code == 200


def test_admin_refuses_to_add_an_event_under_the_news_index(site, admin_client):
    _home, news_index, _events_index = site
    response = admin_client.get(f"/admin/pages/add/events/eventpage/{news_index.id}/", follow=True)
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "you do not have permission" in response.content.decode()
    assert not EventPage.objects.exists()


def test_admin_refuses_a_second_news_index(site, admin_client):
    home, _news_index, _events_index = site
    response = admin_client.get(f"/admin/pages/add/news/newsindexpage/{home.id}/")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_admin_offers_only_allowed_child_types_under_home(site, admin_client):
    home, _news_index, _events_index = site
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(home.id,)))
    assert response.status_code == 200
    content = response.content.decode()
    assert "/admin/pages/add/home/joinpage/" in content
    assert "/admin/pages/add/home/standardpage/" in content
    assert "/admin/pages/add/events/eventpage/" not in content
    assert "/admin/pages/add/news/newspage/" not in content
