"""How a content app adds root fields to the API without the delivery layer naming it."""

import graphene
from wagtail import hooks

QUERY_HOOK = "register_api_query"


def register_root_query(query_class: type[graphene.ObjectType], *, order: int) -> None:
    """Add `query_class`'s fields to the root Query; call it from the app's wagtail_hooks.py.

    `order` places the fields in the schema (lower first among the apps' queries), so what
    schema.graphql prints does not depend on the order of INSTALLED_APPS.
    """
    hooks.register(QUERY_HOOK, lambda query_mixins: query_mixins.append(query_class), order=order)


def registered_root_queries() -> list[type[graphene.ObjectType]]:
    """The query classes the apps registered, in their order."""
    query_mixins: list[type[graphene.ObjectType]] = []
    for register in hooks.get_hooks(QUERY_HOOK):
        register(query_mixins)
    return query_mixins
