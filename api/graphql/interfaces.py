"""The fields every page type shares. Only public, non-editorial fields: see api.graphql.page_types."""

import datetime

import graphene
from django.utils import timezone
from graphql import GraphQLResolveInfo
from wagtail.models import Page

from api.graphql.pagination import PaginationInfo, pagination_arguments
from api.graphql.seo import JSONString, SeoType
from api.seo import JsonLd, structured_data
from api.tree import ancestors, children, parent
from cms.paths import frontend_path, frontend_url

# Each page model's GraphQL type, filled by api.graphql.page_types as it builds them (they implement
# this interface, so that module imports this one, never the other way round).
PAGE_TYPES: dict[type, type[graphene.ObjectType]] = {}


class PageInterface(graphene.Interface):
    """Any public page; query the concrete types with fragments (`... on NewsPage`)."""

    class Meta:
        name = "Page"

    id = graphene.ID(required=True, description="The page's id (`preview` for a new page seen in preview).")
    title = graphene.String(required=True, description="The page title.")
    slug = graphene.String(required=True, description="The last segment of the page's path.")
    path = graphene.String(
        required=True, description="Path on the frontend, e.g. `/news/loreto-oil-spills-conflict-continues/`."
    )
    url = graphene.String(
        required=True, description="Absolute URL on the frontend (the path alone if none is set)."
    )
    page_type = graphene.String(required=True, description="The concrete type name, e.g. `NewsPage`.")
    seo_title = graphene.String(
        required=True, description="Title for <title> and social cards (falls back to the title)."
    )
    search_description = graphene.String(
        required=True, description="Meta description for search engines; may be empty."
    )
    first_published_at = graphene.DateTime(description="When the page was first published (London offset).")
    last_published_at = graphene.DateTime(description="When the page was last published (London offset).")
    seo = graphene.Field(
        SeoType,
        required=True,
        description="What the page's <head> tells search engines and social media, with fallbacks applied.",
    )
    json_ld = graphene.Field(
        JSONString,
        required=True,
        description="The page described for search engines in schema.org terms (JSON-LD): "
        '`{"@context": "https://schema.org", "@graph": [...]}` with the page itself (a '
        "`NewsArticle`, an `Event`, else a `WebPage`) and its `BreadcrumbList`. Put it in "
        '<script type="application/ld+json"> as it is.',
    )
    parent = graphene.Field(
        lambda: PageInterface, description="The public page above this one; null for the home page."
    )
    ancestors = graphene.List(
        graphene.NonNull(lambda: PageInterface),
        required=True,
        description="Breadcrumbs: the public pages above this one, from the home page down to the parent "
        "(empty for the home page).",
    )
    children = graphene.Field(
        lambda: PageConnection,
        required=True,
        **pagination_arguments(),
        description="The public pages directly below this one, in the editors' order in the page tree.",
    )

    @classmethod
    def resolve_type(cls, instance: Page, info: GraphQLResolveInfo) -> type[graphene.ObjectType]:
        return PAGE_TYPES[type(instance)]

    @staticmethod
    def resolve_path(page: Page, info: GraphQLResolveInfo) -> str:
        return frontend_path(page) or "/"

    @staticmethod
    def resolve_url(page: Page, info: GraphQLResolveInfo) -> str:
        url: str = frontend_url(frontend_path(page) or "/")
        return url

    @staticmethod
    def resolve_page_type(page: Page, info: GraphQLResolveInfo) -> str:
        return type(page).__name__

    @staticmethod
    def resolve_id(page: Page, info: GraphQLResolveInfo) -> int | str:
        # A brand-new page seen through preview has no id yet.
        return page.pk if page.pk is not None else "preview"

    @staticmethod
    def resolve_first_published_at(page: Page, info: GraphQLResolveInfo) -> datetime.datetime | None:
        return timezone.localtime(page.first_published_at) if page.first_published_at else None

    @staticmethod
    def resolve_last_published_at(page: Page, info: GraphQLResolveInfo) -> datetime.datetime | None:
        return timezone.localtime(page.last_published_at) if page.last_published_at else None

    @staticmethod
    def resolve_seo(page: Page, info: GraphQLResolveInfo) -> Page:
        return page

    @staticmethod
    def resolve_json_ld(page: Page, info: GraphQLResolveInfo) -> JsonLd:
        return structured_data(getattr(info, "context", None)).describe(page)

    @staticmethod
    def resolve_parent(page: Page, info: GraphQLResolveInfo) -> Page | None:
        return parent(page)

    @staticmethod
    def resolve_ancestors(page: Page, info: GraphQLResolveInfo) -> list[Page]:
        return ancestors(page)

    @staticmethod
    def resolve_children(
        node: Page, info: GraphQLResolveInfo, page_size: int | None, **kwargs: int | None
    ) -> "PageConnection":
        # `page` is the pagination argument here, the page asked about is `node`.
        items, pagination = children(node, kwargs.get("page"), page_size)
        return PageConnection(items=items, pagination=pagination)

    @staticmethod
    def resolve_seo_title(page: Page, info: GraphQLResolveInfo) -> str:
        title: str = page.seo_title or page.title
        return title

    @staticmethod
    def resolve_search_description(page: Page, info: GraphQLResolveInfo) -> str:
        return page.search_description or ""


class PageConnection(graphene.ObjectType):
    """One page of a list of pages of any type, with the totals."""

    items = graphene.List(graphene.NonNull(PageInterface), required=True, description="The pages.")
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")
