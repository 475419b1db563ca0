"""Each page model's GraphQL type: the shared Page interface and the fields the model declares, nothing else.

A type is built from the model's `graphql_fields` (api.graphql.fields), so no Wagtail column
(draft_title, owner, locked_by…) is ever part of it. A StreamField or rich text field is read with
what it refers to loaded for the whole response (api.prefetch); a StreamField serves only its
well-formed blocks (cms.stream_checks).
"""

from collections.abc import Callable
from typing import Any

import graphene
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Manager
from graphql import GraphQLResolveInfo
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from api.graphql.fields import DeclaredField
from api.graphql.interfaces import PAGE_TYPES, PageInterface
from api.prefetch import with_references_loaded
from cms.stream_checks import served_blocks

Resolver = Callable[[Page, GraphQLResolveInfo], Any]


def served_page_models() -> list[type[Page]]:
    """The page models of the apps settings.GRAPHQL_PAGE_APPS names, in order: the schema's page types."""
    return [
        model
        for label in settings.GRAPHQL_PAGE_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Page)
    ]


def page_type(model: type[Page]) -> type[graphene.ObjectType]:
    """The GraphQL type of a page model, built the first time it is asked for."""
    if model not in PAGE_TYPES:
        PAGE_TYPES[model] = _build(model)
    return PAGE_TYPES[model]


def declared_fields(model: type[Page]) -> list[DeclaredField]:
    """The fields `model` declares for its type, in order."""
    return list(getattr(model, "graphql_fields", ()))


def _build(model: type[Page]) -> type[graphene.ObjectType]:
    meta = type(
        "Meta",
        (),
        {
            "name": model.__name__,
            "interfaces": (PageInterface,),
            "description": (model.__doc__ or str(model._meta.verbose_name)).strip(),
        },
    )
    attributes: dict[str, Any] = {"Meta": meta}
    for declared in declared_fields(model):
        attributes[declared.name] = declared.graphene_field()
        attributes[f"resolve_{declared.name}"] = staticmethod(_resolver(model, declared.attribute))
    return type(model.__name__, (graphene.ObjectType,), attributes)


def _resolver(model: type[Page], attribute: str) -> Resolver:
    try:
        model_field = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, StreamField):
        return lambda page, info: served_blocks(with_references_loaded(page, attribute))
    if isinstance(model_field, RichTextField):
        # The stored text; the RichTextHTML scalar renders it once, with its links resolved.
        return lambda page, info: with_references_loaded(page, attribute)

    def resolve(page: Page, info: GraphQLResolveInfo) -> Any:
        value = getattr(page, attribute)
        if isinstance(value, Manager):
            return value.all()
        if callable(value):
            return value(info)
        return value

    return resolve
