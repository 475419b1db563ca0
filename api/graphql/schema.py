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


# graphene's own descriptions of these scalars speak of Python ("represents a python Decimal"); a
# frontend needs what arrives on the wire.
SCALAR_DESCRIPTIONS = {
    "Date": "A calendar day as `YYYY-MM-DD`, e.g. `2016-11-05`.",
    "DateTime": (
        "A moment as ISO 8601 with its offset, e.g. `2016-11-05T10:30:00+00:00`: Europe/London time "
        "(`+00:00` in winter, `+01:00` in summer)."
    ),
    "Decimal": (
        'An exact decimal number as a JSON string, e.g. `"8.00"` (never a float); a price comes with '
        "its ISO 4217 `currency`."
    ),
}


def build_schema(page_models: Sequence[type[Page]]) -> graphene.Schema:
    """The schema serving `page_models`, with the types of every block their StreamFields may hold."""
    built = graphene.Schema(
        query=Query,
        mutation=Mutation,
        types=[*(page_type(model) for model in page_models), *body_block_types(page_models)],
        auto_camelcase=True,
    )
    for name, description in SCALAR_DESCRIPTIONS.items():
        scalar = built.graphql_schema.get_type(name)
        if scalar is not None:
            scalar.description = description
    return built


schema = build_schema(served_page_models())
