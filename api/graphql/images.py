"""Images for the API: alt text, size, focal point, a placeholder and colour, and renditions from an
allowlist, in the upload's format, WebP or AVIF; never the original.

Every URL is on MEDIA_BASE_URL (or WAGTAILADMIN_BASE_URL), whichever host the request named
(api.media.media_url). Renditions are made when the image is saved or a page showing it is
published (api.renditions); a request only reads them, one query per response for all its images.
"""

import mimetypes
import re
from dataclasses import dataclass
from enum import Enum

import graphene
from django.conf import settings
from graphql import GraphQLResolveInfo
from wagtail.images.models import AbstractImage, AbstractRendition

from api.graphql.enums import described
from api.image_sizes import made_spec
from api.media import media_url
from api.prefetch import image_preview, renditions
from api.renditions import ORIGINAL_FORMAT, rendition_spec


def _enum_name(spec: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", spec.upper())


def _filter_description(spec: str) -> str:
    operation, size = spec.split("-", 1)
    if operation == "fill":
        width, height = size.split("x")
        return f"Cut to {width}×{height} around the focal point."
    return f"Scaled to {size} pixels wide."


ImageFilter = graphene.Enum(
    "ImageFilter",
    [(_enum_name(spec), spec) for spec in settings.ALLOWED_IMAGE_FILTERS],
    description=described(
        "The renditions the API may produce (settings.ALLOWED_IMAGE_FILTERS), "
        "e.g. FILL_400X300 crops to 400×300 around the focal point, WIDTH_800 scales to 800 pixels wide. "
        "None enlarges: an original narrower than the filter gives its own width.",
        {_enum_name(spec): _filter_description(spec) for spec in settings.ALLOWED_IMAGE_FILTERS},
    ),
)


class ImageFormat(graphene.Enum):
    """The file format of a rendition."""

    ORIGINAL = ORIGINAL_FORMAT
    AVIF = "avif"
    WEBP = "webp"

    @property
    def description(self) -> str | None:
        return {
            ImageFormat.ORIGINAL: "The upload's own format (JPEG, PNG or GIF): every browser shows it.",
            ImageFormat.AVIF: "AVIF: the smallest files; offer it first in `<picture>`.",
            ImageFormat.WEBP: "WebP: smaller than JPEG and PNG, shown by every current browser.",
        }.get(self)


def _crop_description(ratio: tuple[int, int] | None) -> str:
    return (
        "The upload's own shape." if ratio is None else f"{ratio[0]}:{ratio[1]}, cut around the focal point."
    )


ImageCrop = graphene.Enum(
    "ImageCrop",
    [(_enum_name(name), name) for name in settings.IMAGE_CROPS],
    description=described(
        "The shape of a responsive image: ORIGINAL keeps the upload's; LANDSCAPE is 4:3 and "
        "WIDE 16:9, each cut around the focal point when an editor set one.",
        {_enum_name(name): _crop_description(ratio) for name, ratio in settings.IMAGE_CROPS.items()},
    ),
)


def _value(enum_value: Enum | str | None, default: str) -> str:
    # A client's argument arrives as the enum's member, an argument left out as its default value.
    value = enum_value.value if isinstance(enum_value, Enum) else enum_value
    return default if value is None else value


@dataclass
class ApiRendition:
    """A rendition as the API shows it: under the filter and format the client asked for."""

    rendition: AbstractRendition
    filter: str
    format: str

    @property
    def url(self) -> str:
        return media_url(self.rendition.url)

    @property
    def width(self) -> int:
        return int(self.rendition.width)

    @property
    def height(self) -> int:
        return int(self.rendition.height)

    @property
    def mime_type(self) -> str:
        return mimetypes.guess_type(self.rendition.file.name)[0] or "application/octet-stream"


def image_renditions(image: AbstractImage, specs: list[str], image_format: str) -> list[ApiRendition]:
    """The renditions of allowed filters `specs` in `image_format`, in order; read in one batch."""
    made = {spec: rendition_spec(made_spec(image, spec), image_format) for spec in specs}
    # Every allowed filter of this format is read in the same query: a query selecting several
    # widths or crops then costs one query per format, not one per field. Worked out only then.
    family = (rendition_spec(spec, image_format) for spec in settings.ALLOWED_IMAGE_FILTERS)
    found = renditions(image, *dict.fromkeys(made.values()), load_also=family)
    return [ApiRendition(found[made[spec]], spec, image_format) for spec in specs]


def _srcset(items: list[ApiRendition]) -> str:
    # A small original gives the same width for several filters: list each width once.
    by_width: dict[int, ApiRendition] = {}
    for item in items:
        by_width.setdefault(item.width, item)
    return ", ".join(f"{item.url} {width}w" for width, item in sorted(by_width.items()))


def _crop_specs(crop: str) -> list[str]:
    ratio = settings.IMAGE_CROPS[crop]
    return [
        f"fill-{width}x{width * ratio[1] // ratio[0]}" if ratio else f"width-{width}"
        for width in settings.IMAGE_WIDTHS
    ]


class RenditionType(graphene.ObjectType):
    """One resized version of an image."""

    class Meta:
        name = "ImageRendition"

    filter = graphene.String(required=True, description="The filter asked for, e.g. `width-800`.")
    format = graphene.Field(ImageFormat, required=True, description="The file's format.")
    mime_type = graphene.String(required=True, description="The file's media type, e.g. `image/avif`.")
    url = graphene.String(required=True, description="Absolute URL of the resized file.")
    width = graphene.Int(required=True, description="Width in pixels.")
    height = graphene.Int(required=True, description="Height in pixels.")


class ImageSourceType(graphene.ObjectType):
    """One `<source>` of a `<picture>`: the same image in one format, at every width."""

    class Meta:
        name = "ImageSource"

    format = graphene.Field(ImageFormat, required=True, description="The files' format.")
    mime_type = graphene.String(required=True, description="For `<source type>`, e.g. `image/avif`.")
    srcset = graphene.String(required=True, description="For `<source srcset>`: URLs with width descriptors.")


class ResponsiveImageType(graphene.ObjectType):
    """Everything `<picture>` and `<img srcset sizes>` need for one crop of an image."""

    class Meta:
        name = "ResponsiveImage"

    crop = graphene.Field(ImageCrop, required=True, description="The shape asked for.")
    src = graphene.String(
        required=True, description="For `<img src>`: the upload's format, about 800 pixels wide."
    )
    width = graphene.Int(required=True, description="Width of `src`, for `<img width>` (no layout shift).")
    height = graphene.Int(required=True, description="Height of `src`, for `<img height>`.")
    srcset = graphene.String(
        required=True,
        description="For `<img srcset>`: every width in the upload's format, e.g. `… 400w, … 800w`.",
    )
    sizes = graphene.String(
        required=True,
        description="A `sizes` hint: the viewport's width up to the widest rendition. Use your layout's own "
        "when the image is narrower than the viewport.",
    )
    sources = graphene.List(
        graphene.NonNull(ImageSourceType),
        required=True,
        description="AVIF, then WebP: `<source type srcset sizes>` inside `<picture>`, before the `<img>`.",
    )

    @staticmethod
    def build(image: AbstractImage, crop: str) -> "ResponsiveImageType":
        specs = _crop_specs(crop)
        by_format = {
            image_format: image_renditions(image, specs, image_format)
            for image_format in (*settings.IMAGE_FORMATS, ORIGINAL_FORMAT)
        }
        originals = by_format[ORIGINAL_FORMAT]
        fallback = next((item for item in reversed(originals) if item.width <= 800), originals[0])
        widest = max(item.width for item in originals)
        return ResponsiveImageType(
            crop=crop,
            src=fallback.url,
            width=fallback.width,
            height=fallback.height,
            srcset=_srcset(originals),
            sizes=f"(max-width: {widest}px) 100vw, {widest}px",
            sources=[
                ImageSourceType(format=image_format, mime_type=items[0].mime_type, srcset=_srcset(items))
                for image_format, items in by_format.items()
                if image_format != ORIGINAL_FORMAT
            ],
        )


class FocalPointType(graphene.ObjectType):
    """The area of the image that matters most, in pixels of the original; crops keep it in view."""

    class Meta:
        name = "FocalPoint"

    x = graphene.Int(required=True, description="Centre, from the left.")
    y = graphene.Int(required=True, description="Centre, from the top.")
    width = graphene.Int(required=True, description="Width of the area.")
    height = graphene.Int(required=True, description="Height of the area.")


def _width_filters() -> list[str]:
    return [spec for spec in settings.ALLOWED_IMAGE_FILTERS if spec.startswith("width-")]


_FORMAT_ARGUMENT = {
    "description": "The file format; the upload's own unless asked.",
    "default_value": ORIGINAL_FORMAT,
}


class ImageType(graphene.ObjectType):
    """An image from the library, described for accessible, responsive display."""

    class Meta:
        name = "Image"

    id = graphene.ID(required=True, description="The image's id.")
    title = graphene.String(required=True, description="The image's title in the library.")
    alt = graphene.String(required=True, description="Alternative text for screen readers.")
    width = graphene.Int(required=True, description="Width of the original, in pixels.")
    height = graphene.Int(required=True, description="Height of the original, in pixels.")
    focal_point = graphene.Field(FocalPointType, description="The focal point, if an editor set one.")
    rendition = graphene.Field(
        RenditionType,
        required=True,
        filter=graphene.Argument(ImageFilter, required=True, description="Which rendition."),
        format=graphene.Argument(ImageFormat, **_FORMAT_ARGUMENT),
        description="One rendition from the allowlist, in the format asked for.",
    )
    responsive = graphene.Field(
        ResponsiveImageType,
        required=True,
        crop=graphene.Argument(
            ImageCrop, description="The shape; the upload's own unless asked.", default_value="original"
        ),
        description="`<picture>`-ready sources of one crop: `srcset` with width descriptors in AVIF, "
        "WebP and the upload's format, a `sizes` hint and a fallback `src`.",
    )
    srcset = graphene.String(
        required=True,
        format=graphene.Argument(ImageFormat, **_FORMAT_ARGUMENT),
        description="A `srcset` attribute value built from the allowed width-* renditions.",
        deprecation_reason="Use `responsive { srcset sizes sources { mimeType srcset } }`: "
        "every crop and format.",
    )
    placeholder = graphene.String(
        description="A tiny blurred stand-in to show while the image loads: a `data:image/webp;base64,…` URI "
        "(a few hundred bytes) of the whole image; null until it is made, just after upload."
    )
    dominant_color = graphene.String(
        description="The colour covering most of the image, `#rrggbb`, for a background while it loads; "
        "null until it is made."
    )

    @staticmethod
    def resolve_alt(image: AbstractImage, info: GraphQLResolveInfo) -> str:
        alt: str = image.default_alt_text
        return alt

    @staticmethod
    def resolve_focal_point(image: AbstractImage, info: GraphQLResolveInfo) -> FocalPointType | None:
        if image.focal_point_x is None:
            return None
        return FocalPointType(
            x=image.focal_point_x,
            y=image.focal_point_y,
            width=image.focal_point_width,
            height=image.focal_point_height,
        )

    @staticmethod
    def resolve_rendition(
        image: AbstractImage,
        info: GraphQLResolveInfo,
        filter: Enum,  # noqa: A002 - the argument clients use
        format: Enum | str | None = ORIGINAL_FORMAT,  # noqa: A002 - the argument clients use
    ) -> ApiRendition:
        # Required, so always given: a member of ImageFilter, never null.
        spec: str = filter.value
        return image_renditions(image, [spec], _value(format, ORIGINAL_FORMAT))[0]

    @staticmethod
    def resolve_responsive(
        image: AbstractImage, info: GraphQLResolveInfo, crop: Enum | str | None = "original"
    ) -> ResponsiveImageType:
        return ResponsiveImageType.build(image, _value(crop, "original"))

    @staticmethod
    def resolve_srcset(
        image: AbstractImage,
        info: GraphQLResolveInfo,
        format: Enum | str | None = ORIGINAL_FORMAT,  # noqa: A002 - the argument clients use
    ) -> str:
        return _srcset(image_renditions(image, _width_filters(), _value(format, ORIGINAL_FORMAT)))

    @staticmethod
    def resolve_placeholder(image: AbstractImage, info: GraphQLResolveInfo) -> str | None:
        preview = image_preview(image)
        return preview.placeholder if preview is not None else None

    @staticmethod
    def resolve_dominant_color(image: AbstractImage, info: GraphQLResolveInfo) -> str | None:
        preview = image_preview(image)
        return preview.dominant_colour if preview is not None else None
