"""Publication timestamps are answered with their London offset, as the schema and the guide say.

A page's `firstPublishedAt`, `lastPublishedAt` and the sitemap's `lastModified` are stored in UTC and
answered as London times, like event times: `+01:00` in British Summer Time, `+00:00` in winter.
"""

import datetime

import pytest
from graphql import build_schema

from news.models import NewsPage
from tests.factories import NewsPageFactory, make_site
from tests.test_frontend_guide import GUIDE, SCHEMA_SDL

pytestmark = pytest.mark.django_db

QUERY = '{ page(path: "/news/an-item/") { firstPublishedAt lastPublishedAt } sitemap { path lastModified } }'


@pytest.mark.parametrize(
    ("stored", "answered"),
    [
        (datetime.datetime(2016, 7, 1, 11, 30, tzinfo=datetime.UTC), "2016-07-01T12:30:00+01:00"),
        (datetime.datetime(2016, 11, 5, 10, 30, tzinfo=datetime.UTC), "2016-11-05T10:30:00+00:00"),
    ],
    ids=["summer", "winter"],
)
def test_published_times_have_their_london_offset(gql, stored, answered):
    _home, news_index, _events = make_site()
    item = NewsPageFactory(parent=news_index, slug="an-item")
    NewsPage.objects.filter(pk=item.pk).update(first_published_at=stored, last_published_at=stored)
    data = gql(QUERY)
    assert data["page"] == {"firstPublishedAt": answered, "lastPublishedAt": answered}
    (entry,) = (entry for entry in data["sitemap"] if entry["path"] == "/news/an-item/")
    assert entry["lastModified"] == answered


def test_schema_and_guide_say_london():
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    page = schema.get_type("Page").fields
    descriptions = [page["firstPublishedAt"].description, page["lastPublishedAt"].description]
    descriptions.append(schema.get_type("SitemapEntry").fields["lastModified"].description)
    for description in descriptions:
        assert "London" in description and "UTC" not in description, description
    guide = GUIDE.read_text(encoding="utf-8")
    assert "UTC" not in guide
    assert "`lastModified`) are London times too: `+00:00` in winter, `+01:00` in summer." in guide
