import pytest

from tests.factories import NewsPageFactory, make_site


@pytest.mark.django_db
def test_news_listing_over_http(gql):
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Loreto oil spills: conflict continues.")
    data = gql("{ news { items { title path } pagination { totalCount } } }")
    assert data["news"]["pagination"]["totalCount"] == 1
    assert data["news"]["items"][0]["path"].startswith("/news/")
