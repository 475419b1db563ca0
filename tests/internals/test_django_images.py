"""What cms/internals/django_images.py relies on in Django's ImageField still holds: images keep
correct dimensions although loading them no longer re-reads them."""

import inspect

import pytest
from django.apps.registry import Apps
from django.core.files.images import ImageFile
from django.db import models
from django.db.models.signals import post_init
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.internals.django_images import skip_dimension_reads_on_load


def probe_model(**image_field_options):
    """A throwaway model with an ImageField, registered in its own app registry."""
    meta = type("Meta", (), {"app_label": "probe", "apps": Apps()})
    return type(
        "Probe",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "file": models.ImageField(**image_field_options),
            "width": models.IntegerField(null=True),
            "height": models.IntegerField(null=True),
        },
    )


def test_django_connects_the_dimension_check_to_post_init_and_it_can_be_disconnected():
    probe = probe_model(width_field="width", height_field="height")
    field = probe._meta.get_field("file")
    assert list(inspect.signature(field.update_dimension_fields).parameters)[:2] == ["instance", "force"]
    assert post_init.has_listeners(probe)

    assert skip_dimension_reads_on_load(probe, "file") is True
    assert not post_init.has_listeners(probe)
    assert skip_dimension_reads_on_load(probe, "file") is False


def test_a_model_without_an_image_field_is_refused():
    with pytest.raises(TypeError):
        skip_dimension_reads_on_load(probe_model(), "width")


@pytest.mark.django_db
def test_loading_an_image_or_rendition_runs_no_dimension_check():
    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        assert not post_init.has_listeners(model)


@pytest.mark.django_db
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
