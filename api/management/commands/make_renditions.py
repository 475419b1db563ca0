"""`python manage.py make_renditions`: every rendition and placeholder the API hands out, for images
saved before they were made on save (or after a change to the allowed sizes or formats)."""

from typing import Any

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from api.renditions import make_image_renditions


class Command(BaseCommand):
    help = (
        "Make what the API may hand out for every image in the library (each crop and width in the "
        "upload's format, WebP and AVIF; the placeholder and colour), here rather than by the worker. "
        "Existing renditions are kept: safe to run again, and quick when nothing is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        image_ids = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
        for image_id in image_ids:
            make_image_renditions.call(image_id)
        self.stdout.write(f"Renditions made for {len(image_ids)} images.")
