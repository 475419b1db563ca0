"""The public GraphQL schema: the delivery layer's root queries and those the content apps register,
over grapple's page types (nothing else of grapple's)."""

import graphene
from grapple.registry import registry

from api.graphql import streamfield
from api.graphql.pages import PagesQuery
from api.graphql.preview import PreviewQuery
from api.graphql.registry import registered_root_queries
from api.graphql.safety import restrict_page_types
from api.graphql.site import SiteQuery


class Query(PagesQuery, *registered_root_queries(), SiteQuery, PreviewQuery, graphene.ObjectType):  # type: ignore[misc]
    """Read-only access to PSG's published content."""


restrict_page_types()

schema = graphene.Schema(
    query=Query,
    types=[*registry.pages.values(), *streamfield.BLOCK_TYPES.values()],
    auto_camelcase=True,
)
