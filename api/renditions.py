"""Renditions of the allowed filters are made when an image is saved, never one per API request."""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def generate_allowed_renditions(image):
    """Create every rendition the API may hand out for `image` (existing ones are reused)."""
    return image.get_renditions(*settings.ALLOWED_IMAGE_FILTERS)


def generate_after_commit(sender, instance, **kwargs):
    """post_save receiver: once the upload is committed, make its renditions."""

    def generate():
        try:
            generate_allowed_renditions(instance)
        except Exception:  # a broken upload must not break the editor's save
            logger.exception("Could not generate renditions for image %s", instance.pk)

    transaction.on_commit(generate)
