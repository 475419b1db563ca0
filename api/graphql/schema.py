"""The public GraphQL schema: our root queries over the page types and block types built for them."""

from collections.abc import Sequence

import graphene
from wagtail.models import Page

from api.graphql.page_types import page_type, served_page_models
from api.graphql.pages import PagesQuery
from api.graphql.preview import PreviewQuery
from api.graphql.site import SiteQuery
from api.graphql.streamfield import body_block_types
from events.schema import EventsQuery
from news.schema import NewsQuery


class Query(PagesQuery, NewsQuery, EventsQuery, SiteQuery, PreviewQuery, graphene.ObjectType):
    """Read-only access to PSG's published content."""


def build_schema(page_models: Sequence[type[Page]]) -> graphene.Schema:
    """The schema serving `page_models`, with the types of every block their StreamFields may hold."""
    return graphene.Schema(
        query=Query,
        types=[*(page_type(model) for model in page_models), *body_block_types(page_models)],
        auto_camelcase=True,
    )


schema = build_schema(served_page_models())
