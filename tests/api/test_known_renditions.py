"""Renditions read once are reused by later requests, never after the image changes."""

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.images.tests.utils import get_test_image_file

from api.renditions import generate_allowed_renditions
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

QUERY = "{ news { items { mainImage { rendition(filter: FILL_400X300) { url width } } } } }"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GRAPHQL_RESPONSE_CACHE = False  # the answer is computed every time here


def rendition_queries(gql):
    with CaptureQueriesContext(connection) as captured:
        data = gql(QUERY)
    sql = [q["sql"] for q in captured.captured_queries if "wagtailimages_rendition" in q["sql"]]
    return data["news"]["items"][0]["mainImage"]["rendition"], len(sql)


def test_renditions_are_read_once_until_the_image_changes(gql):
    _home, news_index, _events = make_site()
    image = get_image_model().objects.create(title="Lima", file=get_test_image_file(size=(800, 600)))
    NewsPageFactory(parent=news_index, main_image=image)

    # No renditions yet (say, an image from before renditions were made on upload): made once.
    first, read = rendition_queries(gql)
    assert read >= 1 and first["width"] == 400
    again, read = rendition_queries(gql)
    assert again == first and read == 0

    # A new file (as the admin's image edit does: old renditions go, new ones are made): the
    # rendition keeps its filter and focal point key but not its file, shown on the very next request.
    image.renditions.all().delete()
    image.file = ImageFile(get_test_image_file(filename="new.png", size=(800, 600)).file, name="new.png")
    image.save()
    generate_allowed_renditions(image)
    replaced, read = rendition_queries(gql)
    assert read == 1
    assert replaced["url"] != first["url"] and "new" in replaced["url"]


def test_the_rendition_chosen_for_a_focal_point_follows_a_new_focal_point(gql):
    _home, news_index, _events = make_site()
    image = get_image_model().objects.create(title="Cusco", file=get_test_image_file(size=(800, 600)))
    NewsPageFactory(parent=news_index, main_image=image)
    centred, _ = rendition_queries(gql)
    assert rendition_queries(gql) == (centred, 0)  # Wagtail's choice among those read is kept too

    # An editor marks the left edge as what matters: the crop is cut around it from the next request.
    image.set_focal_point(Rect(75, 275, 125, 325))
    image.save()
    moved, _ = rendition_queries(gql)
    assert moved["url"] != centred["url"] and moved["width"] == 400
    assert rendition_queries(gql) == (moved, 0)
