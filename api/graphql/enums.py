"""Enums whose values each carry a description, as graphene takes them.

graphene reads an enum's `description` as the type's, or, given a callable, calls it with None for
the type and with each member for its value: what codegen and editors show on hover.
"""

from collections.abc import Callable, Mapping
from enum import Enum


def described(type_description: str, values: Mapping[str, str]) -> Callable[[Enum | None], str | None]:
    """An enum's `description`: `type_description` for the type, `values[name]` for each value."""

    def describe(member: Enum | None) -> str | None:
        return type_description if member is None else values.get(member.name)

    return describe
