"""Image URLs the API hands out are served; originals and restricted images are not."""

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db


def make_image(collection=None):
    image = get_image_model().objects.create(
        title="Las Bambas",
        file=get_test_image_file(),
        collection=collection or Collection.get_first_root_node(),
    )
    return image, image.get_rendition("width-400")


def test_renditions_are_served_with_bounded_caching(client):
    _image, rendition = make_image()
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_original_upload_is_not_served(client):
    image, _rendition = make_image()
    assert client.get(image.file.url).status_code == 404


def test_renditions_of_restricted_images_are_not_served(client):
    private = Collection.get_first_root_node().add_child(name="Embargoed")
    nested = private.add_child(name="Embargoed photos")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    _image, rendition = make_image(nested)
    assert client.get(rendition.url).status_code == 404
