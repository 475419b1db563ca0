"""The sizes of allowed renditions: which filter's file stands for another on a given image.

Renditions never enlarge, so on an original narrower than a filter's width, that filter gives the
same size as the narrowest filter of the same shape at least as wide as the original: only that
one is made (api.renditions), and it is handed out for the wider ones.
"""

import math
import re

from django.conf import settings
from wagtail.images.models import AbstractImage

_SPEC = re.compile(r"^(?:width-(?P<width>\d+)|fill-(?P<fill_w>\d+)x(?P<fill_h>\d+))$")


def _shape(spec: str) -> tuple[int, tuple[int, int] | None]:
    """(width, aspect ratio or None) of an allowed filter spec."""
    match = _SPEC.match(spec)
    if match is None:
        raise ValueError(f"Not an allowed image filter: {spec}")
    if match["width"]:
        return int(match["width"]), None
    width, height = int(match["fill_w"]), int(match["fill_h"])
    common = math.gcd(width, height)
    return width, (width // common, height // common)


def largest_width(image: AbstractImage, ratio: tuple[int, int] | None) -> int:
    """The widest a rendition of `image` in this shape can be: renditions never enlarge."""
    if ratio is None:
        return int(image.width)
    return max(1, min(int(image.width), int(image.height) * ratio[0] // ratio[1]))


def made_spec(image: AbstractImage, spec: str) -> str:
    """The allowed filter whose rendition stands for `spec` on this image: `spec` itself, or, when
    `spec` is wider than the image allows, the narrowest filter of the same shape giving that size."""
    width, ratio = _shape(spec)
    limit = largest_width(image, ratio)
    if width <= limit:
        return spec
    same_shape = sorted(
        (w, s) for s in settings.ALLOWED_IMAGE_FILTERS for w, r in [_shape(s)] if r == ratio and w >= limit
    )
    return same_shape[0][1] if same_shape else spec


def standing_spec(image: AbstractImage, spec: str) -> str:
    """The Wagtail filter spec whose rendition stands for `spec` on `image`, its format kept
    (`width-1600|format-webp|…` on a 1200-pixel original: `width-1200|format-webp|…`)."""
    base, separator, rest = spec.partition("|")
    try:
        return made_spec(image, base) + separator + rest
    except ValueError:  # not a width or fill filter: made as it is
        return spec
