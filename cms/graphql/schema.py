"""The public GraphQL schema: our root queries over grapple's page types, nothing else of grapple's."""

import graphene
from grapple.registry import registry

from cms.graphql import streamfield
from cms.graphql.pages import PagesQuery
from cms.graphql.preview import PreviewQuery
from cms.graphql.safety import restrict_page_types
from cms.graphql.site import SiteQuery
from events.schema import EventsQuery
from news.schema import NewsQuery


class Query(PagesQuery, NewsQuery, EventsQuery, SiteQuery, PreviewQuery, graphene.ObjectType):
    """Read-only access to PSG's published content."""


restrict_page_types()

schema = graphene.Schema(
    query=Query,
    types=[*registry.pages.values(), *streamfield.BLOCK_TYPES.values()],
    auto_camelcase=True,
)
