"""The public GraphQL schema: the delivery layer's root queries and those the content apps register,
over the page types and block types built for them."""

from collections.abc import Sequence

import graphene
from wagtail.models import Page

from api.forms.schema import FormMutation
from api.graphql.page_types import page_type, served_page_models
from api.graphql.pages import PagesQuery
from api.graphql.preview import PreviewQuery
from api.graphql.registry import registered_root_queries
from api.graphql.site import SiteQuery
from api.graphql.streamfield import body_block_types


class Query(PagesQuery, *registered_root_queries(), SiteQuery, PreviewQuery, graphene.ObjectType):  # type: ignore[misc]
    """Read-only access to PSG's published content."""


class Mutation(FormMutation, graphene.ObjectType):
    """The one thing readers send: a form's answers."""


def build_schema(page_models: Sequence[type[Page]]) -> graphene.Schema:
    """The schema serving `page_models`, with the types of every block their StreamFields may hold."""
    return graphene.Schema(
        query=Query,
        mutation=Mutation,
        types=[*(page_type(model) for model in page_models), *body_block_types(page_models)],
        auto_camelcase=True,
    )


schema = build_schema(served_page_models())
