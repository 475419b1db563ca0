"""Declaring a page model's GraphQL fields next to its model fields, with types named lazily."""

import functools
import inspect
from dataclasses import dataclass
from typing import Any

import graphene
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DeclaredField:
    """One public field of a page type; api.graphql.page_types serves these and nothing else."""

    name: str
    field_type: Any
    description: str
    required: bool = False
    is_list: bool = False
    source: str | None = None

    @property
    def attribute(self) -> str:
        """What the field reads from the page: an attribute, property, method or model field."""
        return self.source or self.name

    def graphene_field(self) -> graphene.Field:
        """The GraphQL field; a list is a non-null list of non-null items, what codegen users want."""
        field_type: Any = functools.partial(_resolved_type, self.field_type)
        if self.is_list:
            field_type = graphene.NonNull(graphene.List(graphene.NonNull(field_type)))
        elif self.required:
            field_type = graphene.NonNull(field_type)
        return graphene.Field(field_type, description=self.description)


def _resolved_type(field_type: Any) -> Any:
    # Resolved when the schema is built (graphene calls a partial then), once every app is loaded.
    resolved = import_string(field_type) if isinstance(field_type, str) else field_type
    # A function standing for a type (news.schema.NewsPageType) gives it when called.
    return resolved() if inspect.isfunction(resolved) else resolved


def graphql_field(
    name: str,
    field_type: Any,
    description: str,
    *,
    required: bool = False,
    is_list: bool = False,
    source: str | None = None,
) -> DeclaredField:
    """A page model's GraphQL field; `field_type` may be a dotted path, resolved when the schema is built."""
    return DeclaredField(name, field_type, description, required, is_list, source)
