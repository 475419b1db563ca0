"""The public GraphQL schema: our root queries over grapple's page types, nothing else of grapple's."""

import graphene
from grapple.registry import registry

from api.graphql import streamfield
from api.graphql.pages import PagesQuery
from api.graphql.preview import PreviewQuery
from api.graphql.safety import restrict_page_types
from api.graphql.site import SiteQuery
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
