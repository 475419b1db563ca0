"""A news item's summary is what lists and feeds show: at most 300 characters, said on the field."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_item():
    _home, news_index, _events_index = make_site()
    return NewsPageFactory(parent=news_index, title="Loreto oil spills")


def test_summary_of_300_characters_is_fine(news_item):
    news_item.summary = "x" * 300
    news_item.full_clean()


def test_summary_of_301_characters_is_refused_on_summary(news_item):
    news_item.summary = "x" * 301
    with pytest.raises(ValidationError) as caught:
        news_item.full_clean()
    errors = caught.value.message_dict
    assert list(errors) == ["summary"]
    assert any("300 characters" in message for message in errors["summary"])


def test_summary_is_required(news_item):
    news_item.summary = ""
    with pytest.raises(ValidationError) as caught:
        news_item.full_clean()
    assert "summary" in caught.value.message_dict
