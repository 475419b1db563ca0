"""What the frontend puts in a page's <head>: title, description, canonical link, robots, share image
(Open Graph, X cards) and the schema.org description (JSON-LD)."""

import json
from typing import Any

import graphene
from graphql import GraphQLResolveInfo
from wagtail.models import Page

from api.seo import canonical_url, search_description, share_image, share_rendition


class JSONString(graphene.JSONString):
    """JSON text. Safe to put inside <script type="application/ld+json"> as it is: `<`, `>` and `&` are
    written as \\u escapes, so no text an editor typed can end the script element."""

    class Meta:
        name = "JSONString"

    @staticmethod
    def serialize(dt: Any) -> str:
        text = json.dumps(dt, ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ShareImageType(graphene.ObjectType):
    """The picture social media show with a shared link: 1200×630 (1.91:1), cropped at the focal point."""

    class Meta:
        name = "ShareImage"

    url = graphene.String(required=True, description="Absolute URL of the 1200×630 rendition (`og:image`).")
    width = graphene.Int(
        required=True, description="Width in pixels (`og:image:width`), 1200 unless the original is smaller."
    )
    height = graphene.Int(required=True, description="Height in pixels (`og:image:height`).")
    alt = graphene.String(required=True, description="Alternative text (`og:image:alt`).")

    @staticmethod
    def resolve_url(image: Any, info: GraphQLResolveInfo) -> str:
        url: str = share_rendition(image).url
        request = getattr(info, "context", None)
        return request.build_absolute_uri(url) if request is not None else url

    @staticmethod
    def resolve_width(image: Any, info: GraphQLResolveInfo) -> int:
        width: int = share_rendition(image).width
        return width

    @staticmethod
    def resolve_height(image: Any, info: GraphQLResolveInfo) -> int:
        height: int = share_rendition(image).height
        return height

    @staticmethod
    def resolve_alt(image: Any, info: GraphQLResolveInfo) -> str:
        return str(image.default_alt_text)


class SeoType(graphene.ObjectType):
    """A page's search engine and social media metadata, each with its fallback already applied."""

    class Meta:
        name = "Seo"

    title = graphene.String(
        required=True,
        description="For <title>, `og:title` and `twitter:title`: the SEO title, else the title.",
    )
    description = graphene.String(
        required=True,
        description="For the meta description and `og:description`: the search description, else the "
        "page's summary where it has one; may be empty.",
    )
    canonical_url = graphene.String(
        required=True,
        description='For <link rel="canonical"> and `og:url`: the editor\'s override (a page republished '
        "from elsewhere), else the page's own absolute URL.",
    )
    noindex = graphene.Boolean(
        required=True,
        description="True when editors asked search engines not to list the page: send "
        '<meta name="robots" content="noindex"> and leave it out of sitemap.xml.',
    )
    share_image = graphene.Field(
        ShareImageType,
        description="For `og:image` and `twitter:image`: the page's share image, else its main image "
        "(news, the home page's hero), else the site's default share image; null if none is set.",
    )

    @staticmethod
    def resolve_title(page: Page, info: GraphQLResolveInfo) -> str:
        return str(page.seo_title or page.title)

    @staticmethod
    def resolve_description(page: Page, info: GraphQLResolveInfo) -> str:
        return search_description(page)

    @staticmethod
    def resolve_canonical_url(page: Page, info: GraphQLResolveInfo) -> str | None:
        return canonical_url(page)

    @staticmethod
    def resolve_noindex(page: Page, info: GraphQLResolveInfo) -> bool:
        return bool(getattr(page, "noindex", False))

    @staticmethod
    def resolve_share_image(page: Page, info: GraphQLResolveInfo) -> Any:
        return share_image(page)
