"""Topics are ticked from PSG's curated list: none dropped without a word, none wrapped in quotes."""

import re

import pytest

from news.models import NewsPage
from tests.admin.conftest import news_form
from tests.factories import NewsPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(db):
    return {name: TopicFactory(name=name) for name in ("Mining", "Human rights", "Environment")}


def _add(client, site, **data):
    return client.post(f"/admin/pages/add/news/newspage/{site[1].id}/", news_form(**data))


def test_every_topic_is_a_checkbox_labelled_as_it_is_named(site, topics, admin_client):
    content = admin_client.get(f"/admin/pages/add/news/newspage/{site[1].id}/").content.decode()
    boxes = re.findall(
        r'<input type="checkbox" name="topics" value="(\d+)"[^>]*>\s*([^<]+?)\s*</label>', content
    )
    assert [(int(pk), label) for pk, label in boxes] == sorted(
        ((topic.pk, name) for name, topic in topics.items()), key=lambda pair: pair[1]
    )
    assert "&quot;Human rights&quot;" not in content and "enclosed in double quotes" not in content
    assert "Missing one? Add it under Snippets → Topics." in content


def test_ticked_topics_are_saved(site, topics, admin_client):
    chosen = [topics["Human rights"].pk, topics["Mining"].pk]
    assert _add(admin_client, site, topics=chosen).status_code == 302
    assert sorted(topic.name for topic in NewsPage.objects.get().topics.all()) == ["Human rights", "Mining"]


@pytest.mark.parametrize("posted", ["999", "Minning"])
def test_a_topic_that_does_not_exist_is_refused_with_a_message(site, topics, admin_client, posted):
    response = _add(admin_client, site, topics=[topics["Mining"].pk, posted])
    assert response.status_code == 200
    assert response.context["form"].errors["topics"] == [
        f"“{posted}” is not in the list. Tick from the list, or add it under Snippets → Topics."
    ]
    assert not NewsPage.objects.exists()


def test_a_drafts_topics_are_shown_as_the_draft_has_them(site, topics, admin_client):
    item = NewsPageFactory(parent=site[1])
    item.topics.set([topics["Mining"]])
    item.save_revision().publish()
    data = news_form(title=item.title, slug=item.slug, topics=[topics["Environment"].pk])
    data["action-draft"] = "action-draft"
    assert admin_client.post(f"/admin/pages/{item.id}/edit/", data).status_code == 302
    content = admin_client.get(f"/admin/pages/{item.id}/edit/").content.decode()
    ticked = re.findall(r'<input type="checkbox" name="topics" value="(\d+)"[^>]*checked', content)
    assert ticked == [str(topics["Environment"].pk)]
    # The published item keeps its topic until the draft is published.
    assert [topic.name for topic in NewsPage.objects.get().topics.all()] == ["Mining"]


def test_an_empty_value_means_none_ticked(site, topics, admin_client):
    assert _add(admin_client, site, topics="").status_code == 302
    assert not NewsPage.objects.get().topics.exists()
