"""Images keep correct dimensions although loading them no longer re-reads them."""

import pytest
from django.core.files.images import ImageFile
from django.db.models.signals import post_init
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_loading_an_image_or_rendition_runs_no_dimension_check():
    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        assert not post_init.has_listeners(model)


def test_upload_and_replacement_still_record_dimensions():
    image = get_image_model().objects.create(title="Map", file=get_test_image_file(size=(640, 480)))
    loaded = get_image_model().objects.get(pk=image.pk)
    assert (loaded.width, loaded.height) == (640, 480)
    rendition = loaded.get_rendition("width-400")
    assert (rendition.width, rendition.height) == (400, 300)

    replacement = get_test_image_file(filename="wide.png", size=(800, 200))
    loaded.file = ImageFile(replacement.file, name="wide.png")
    loaded.save()
    assert (loaded.width, loaded.height) == (800, 200)
    assert get_image_model().objects.values_list("width", "height").get(pk=image.pk) == (800, 200)
