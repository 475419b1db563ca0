"""Renditions and previews of images are made when an image is saved or a page using it is
published, not by the API requests that read them (but for one a request needs first).

The placeholder and colour (a few tens of milliseconds) are made once the upload is committed, in
the editor's request, so no answer ever lacks them. The renditions (every crop, width and format:
seconds for a photograph) are a django-tasks task for the worker, so an upload returns at once;
until the worker has made one, the API request that first needs it makes it (api.prefetch).

Every allowed filter (settings.ALLOWED_IMAGE_FILTERS: each crop at each width) is made in the
upload's own format and in each of settings.IMAGE_FORMATS (AVIF, WebP). Renditions never enlarge,
so an original narrower than a width gives the same file for that width and every wider one:
only the first of those is made, and the API hands it out for the wider ones too
(api.image_sizes.made_spec).
"""

import base64
import io
import logging

from django.conf import settings
from django.db import transaction
from django_tasks import task
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Page

from api.image_sizes import made_spec
from api.models import ImagePreview
from api.prefetch import referenced_image_ids

logger = logging.getLogger(__name__)

# Renditions the API hands out beyond the allowlist clients choose from: every page's share image
# (Open Graph's recommended 1200×630, 1.91:1, cropped at the focal point) and the organisation's
# logo for search engines (at least 112×112, its shape kept). Made on upload like the others.
SHARE_IMAGE_SPEC = "fill-1200x630"
LOGO_SPEC = "max-600x600"

ORIGINAL_FORMAT = "original"
# The placeholder: a tiny WebP of the whole image, a few hundred bytes, to blur while the real one loads.
PLACEHOLDER_WIDTH = 16
PLACEHOLDER_QUALITY = 40


def rendition_spec(spec: str, image_format: str = ORIGINAL_FORMAT) -> str:
    """The Wagtail filter spec of allowed filter `spec` in `image_format` ("original", "webp", "avif")."""
    if image_format == ORIGINAL_FORMAT:
        return spec
    quality = settings.IMAGE_FORMATS[image_format]
    return f"{spec}|format-{image_format}|{image_format}quality-{quality}"


def specs_to_make(image: AbstractImage) -> list[str]:
    """Every Wagtail filter spec the API may hand out for `image`, each size once."""
    bases = list(dict.fromkeys(made_spec(image, spec) for spec in settings.ALLOWED_IMAGE_FILTERS))
    formats = [ORIGINAL_FORMAT, *settings.IMAGE_FORMATS]
    made = [rendition_spec(base, image_format) for base in bases for image_format in formats]
    return [*made, SHARE_IMAGE_SPEC, LOGO_SPEC]


def generate_allowed_renditions(image: AbstractImage) -> dict[str, AbstractRendition]:
    """Create every rendition the API may hand out for `image` (existing ones are reused)."""
    renditions: dict[str, AbstractRendition] = image.get_renditions(*specs_to_make(image))
    return renditions


def _rgb(picture: PILImage.Image) -> PILImage.Image:
    """The picture in RGB, transparent parts on white (as most pages show it)."""
    picture = ImageOps.exif_transpose(picture)
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        background = PILImage.new("RGBA", picture.size, (255, 255, 255, 255))
        return PILImage.alpha_composite(background, picture).convert("RGB")
    return picture.convert("RGB")


def dominant_colour(picture: PILImage.Image) -> str:
    """The colour covering most of `picture` (of a few median-cut colours), as #rrggbb."""
    small = picture.resize((32, 32), PILImage.Resampling.BILINEAR)
    quantised = small.quantize(colors=4, method=PILImage.Quantize.MEDIANCUT)
    counts: list[tuple[int, int]] = quantised.getcolors() or [(1, 0)]  # type: ignore[assignment]
    _count, index = max(counts)
    palette = quantised.getpalette() or [0, 0, 0]
    red, green, blue = palette[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def placeholder_data_uri(picture: PILImage.Image) -> str:
    """A tiny WebP of `picture` (PLACEHOLDER_WIDTH pixels wide) as a `data:` URI."""
    height = max(1, round(picture.height * PLACEHOLDER_WIDTH / picture.width))
    tiny = picture.resize((PLACEHOLDER_WIDTH, height), PILImage.Resampling.LANCZOS)
    buffer = io.BytesIO()
    tiny.save(buffer, "WEBP", quality=PLACEHOLDER_QUALITY, method=6)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def generate_preview(image: AbstractImage) -> ImagePreview:
    """The image's placeholder and dominant colour, made again only when its file changed."""
    existing = ImagePreview.objects.filter(image_id=image.pk).first()
    if existing is not None and existing.file_name == image.file.name:
        return existing
    with image.open_file() as file, PILImage.open(file) as opened:
        opened.draft("RGB", (PLACEHOLDER_WIDTH * 8, PLACEHOLDER_WIDTH * 8))  # JPEGs decode small
        picture = _rgb(opened)
        picture.thumbnail((256, 256))
        values = {
            "file_name": image.file.name,
            "placeholder": placeholder_data_uri(picture),
            "dominant_colour": dominant_colour(picture),
        }
    preview, _created = ImagePreview.objects.update_or_create(image_id=image.pk, defaults=values)
    return preview


# The worker's backend (the `webhooks` alias, queued in the database in production; run at once
# where TASKS_BACKEND=immediate): an upload's request never waits for its renditions. Seconds of
# work each, so below the default priority: a batch of uploads never holds up the publish
# webhooks and readers' emails queued after it (an API request makes a rendition it needs first).
RENDITIONS_PRIORITY = -50


@task(backend="webhooks", priority=RENDITIONS_PRIORITY)
def make_image_renditions(image_id: int) -> None:
    """Make what the API may hand out for one image: every rendition, its placeholder and colour."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return  # deleted since it was queued
    try:
        generate_preview(image)
        generate_allowed_renditions(image)
    except Exception:  # a broken upload must not stop the worker
        logger.exception("Could not make renditions of image %s", image_id)


def _enqueue_after_commit(image_ids: list[int]) -> None:
    def enqueue() -> None:
        for image_id in image_ids:
            make_image_renditions.enqueue(image_id)

    transaction.on_commit(enqueue)


def _preview_after_commit(image_id: int) -> None:
    def make() -> None:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None:
            return
        try:
            generate_preview(image)
        except Exception:  # a broken upload must not break the editor's save
            logger.exception("Could not make the placeholder of image %s", image_id)

    transaction.on_commit(make)


def generate_after_commit(sender: type, instance: AbstractImage, **kwargs: object) -> None:
    """post_save receiver of images: once the upload is committed, make its placeholder and queue
    its renditions for the worker."""
    _preview_after_commit(instance.pk)
    _enqueue_after_commit([instance.pk])


def generate_for_published_page(sender: type, instance: Page, **kwargs: object) -> None:
    """page_published receiver: the images the page shows have every rendition before readers come
    (images saved before renditions were made on save, or renditions removed since)."""
    image_ids = sorted(referenced_image_ids(instance.specific))
    if image_ids:
        _enqueue_after_commit(image_ids)
