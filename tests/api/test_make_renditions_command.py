"""`manage.py make_renditions` fills in what images saved before renditions were made on save lack."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from api.models import ImagePreview
from api.renditions import specs_to_make

pytestmark = pytest.mark.django_db


def test_the_command_makes_every_missing_rendition_and_preview():
    # Saved without a commit (as in a test): nothing made yet, like an image from before.
    image = get_image_model().objects.create(title="Lima", file=get_test_image_file(size=(500, 300)))
    image.get_renditions("width-400")  # one exists already, and is kept
    kept = image.renditions.get().pk
    assert not ImagePreview.objects.filter(image=image).exists()

    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert "Renditions made for 1 images." in out.getvalue()
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(specs_to_make(image))
    assert image.renditions.filter(pk=kept).exists()
    assert ImagePreview.objects.filter(image=image).exists()

    call_command("make_renditions", stdout=StringIO())  # again: nothing new
    assert image.renditions.count() == len(specs_to_make(image))
