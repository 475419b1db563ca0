"""Declaring a model's GraphQL fields next to its model fields, with types imported lazily."""

import graphene
from django.utils.module_loading import import_string
from grapple.models import GraphQLField


def graphql_field(name, field_type, description, *, required=False, is_list=False, source=None):
    """A grapple field whose type may be a dotted path, resolved once every app is loaded.

    `is_list` gives a non-null list of non-null items, which is what codegen users want.
    """

    def mixin():
        resolved = import_string(field_type) if isinstance(field_type, str) else field_type
        if is_list:
            resolved = graphene.NonNull(graphene.List(graphene.NonNull(resolved)))
        kwargs = {"description": description}
        if source:
            kwargs["source"] = source
        return GraphQLField(name, resolved, required=required and not is_list, **kwargs)

    return mixin
