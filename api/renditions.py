"""Renditions of the allowed filters are made when an image is saved, never one per API request."""

import logging

from django.conf import settings
from django.db import transaction
from wagtail.images.models import AbstractImage, AbstractRendition

logger = logging.getLogger(__name__)

# Renditions the API hands out beyond the allowlist clients choose from: every page's share image
# (Open Graph's recommended 1200×630, 1.91:1, cropped at the focal point) and the organisation's
# logo for search engines (at least 112×112, its shape kept). Made on upload like the others.
SHARE_IMAGE_SPEC = "fill-1200x630"
LOGO_SPEC = "max-600x600"


def generate_allowed_renditions(image: AbstractImage) -> dict[str, AbstractRendition]:
    """Create every rendition the API may hand out for `image` (existing ones are reused)."""
    renditions: dict[str, AbstractRendition] = image.get_renditions(
        *settings.ALLOWED_IMAGE_FILTERS, SHARE_IMAGE_SPEC, LOGO_SPEC
    )
    return renditions


def generate_after_commit(sender: type, instance: AbstractImage, **kwargs: object) -> None:
    """post_save receiver: once the upload is committed, make its renditions."""

    def generate() -> None:
        try:
            generate_allowed_renditions(instance)
        except Exception:  # a broken upload must not break the editor's save
            logger.exception("Could not generate renditions for image %s", instance.pk)

    transaction.on_commit(generate)
