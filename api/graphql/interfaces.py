"""The fields every page type shares. Only public, non-editorial fields: see api.graphql.page_types."""

import graphene
from django.utils import timezone

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

    @classmethod
    def resolve_type(cls, instance, info):
        return PAGE_TYPES[type(instance)]

    @staticmethod
    def resolve_path(page, info):
        return frontend_path(page) or "/"

    @staticmethod
    def resolve_url(page, info):
        return frontend_url(frontend_path(page) or "/")

    @staticmethod
    def resolve_page_type(page, info):
        return type(page).__name__

    @staticmethod
    def resolve_id(page, info):
        # A brand-new page seen through preview has no id yet.
        return page.pk if page.pk is not None else "preview"

    @staticmethod
    def resolve_first_published_at(page, info):
        return timezone.localtime(page.first_published_at) if page.first_published_at else None

    @staticmethod
    def resolve_last_published_at(page, info):
        return timezone.localtime(page.last_published_at) if page.last_published_at else None

    @staticmethod
    def resolve_seo_title(page, info):
        return page.seo_title or page.title

    @staticmethod
    def resolve_search_description(page, info):
        return page.search_description or ""
