"""Images for the API: alt text, size, focal point and renditions from an allowlist; never the original."""

import re

import graphene
from django.conf import settings

from api.prefetch import renditions


def _enum_name(spec):
    return re.sub(r"[^A-Z0-9]+", "_", spec.upper())


ImageFilter = graphene.Enum(
    "ImageFilter",
    [(_enum_name(spec), spec) for spec in settings.ALLOWED_IMAGE_FILTERS],
    description="The renditions the API may produce (settings.ALLOWED_IMAGE_FILTERS), "
    "e.g. FILL_400X300 crops to 400×300 around the focal point, WIDTH_800 scales to 800 pixels wide.",
)


def _absolute(info, url):
    request = getattr(info, "context", None)
    return request.build_absolute_uri(url) if request is not None else url


class RenditionType(graphene.ObjectType):
    """One resized version of an image."""

    class Meta:
        name = "ImageRendition"

    filter = graphene.String(required=True, description="The filter spec that made it, e.g. `width-800`.")
    url = graphene.String(required=True, description="Absolute URL of the resized file.")
    width = graphene.Int(required=True, description="Width in pixels.")
    height = graphene.Int(required=True, description="Height in pixels.")

    @staticmethod
    def resolve_filter(rendition, info):
        return rendition.filter_spec

    @staticmethod
    def resolve_url(rendition, info):
        return _absolute(info, rendition.url)


class FocalPointType(graphene.ObjectType):
    """The area of the image that matters most, in pixels of the original; crops keep it in view."""

    class Meta:
        name = "FocalPoint"

    x = graphene.Int(required=True, description="Centre, from the left.")
    y = graphene.Int(required=True, description="Centre, from the top.")
    width = graphene.Int(required=True, description="Width of the area.")
    height = graphene.Int(required=True, description="Height of the area.")


def _width_filters():
    return [spec for spec in settings.ALLOWED_IMAGE_FILTERS if spec.startswith("width-")]


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
        description="One rendition from the allowlist.",
    )
    srcset = graphene.String(
        required=True,
        description="A `srcset` attribute value built from the allowed width-* renditions.",
    )

    @staticmethod
    def resolve_alt(image, info):
        return image.default_alt_text

    @staticmethod
    def resolve_focal_point(image, info):
        if image.focal_point_x is None:
            return None
        return FocalPointType(
            x=image.focal_point_x,
            y=image.focal_point_y,
            width=image.focal_point_width,
            height=image.focal_point_height,
        )

    @staticmethod
    def resolve_rendition(image, info, filter):
        spec = getattr(filter, "value", filter)
        return renditions(image, spec)[spec]

    @staticmethod
    def resolve_srcset(image, info):
        # Renditions never upscale: a small original gives the same width twice; list each once.
        by_width = {}
        for rendition in renditions(image, *_width_filters()).values():
            by_width.setdefault(rendition.width, rendition)
        return ", ".join(f"{_absolute(info, r.url)} {width}w" for width, r in sorted(by_width.items()))
