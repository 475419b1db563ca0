"""Django's ImageField, reached into to stop it re-reading dimensions on every load.

An ImageField naming width_field or height_field connects its bound `update_dimension_fields` to
`post_init` for its model (`ImageField.contribute_to_class`), so every image and rendition loaded
builds a FieldFile to re-check its width and height: about 10 µs an object, 40 objects an API
listing. Wagtail's image and rendition models name both fields, and Django has no switch for it.
Loading needs none of it: a file stored by `save()` is re-assigned by `FileField.pre_save`, and
assigning a file to a loaded object (a replacement) goes through `ImageFileDescriptor.__set__`;
both measure the file themselves. Disconnecting needs the exact receiver and sender Django used.

tests/internals/test_django_images.py fails when an upgrade changes any of this.
"""

from django.db import models
from django.db.models.signals import post_init


def skip_dimension_reads_on_load(model: type[models.Model], field_name: str) -> bool:
    """Disconnect the dimension check `model`'s ImageField runs on every load; False if none ran."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.ImageField):
        raise TypeError(f"{model.__name__}.{field_name} is not an ImageField")
    return bool(post_init.disconnect(field.update_dimension_fields, sender=model))
