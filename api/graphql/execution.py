"""graphql-core's execution, with each field's plan worked out once per query, not once per object.

For every object in a list, graphql-core looks up the field's definition, rebuilds its arguments
from the document, picks its resolver and walks the type wrappers of its result again. In a
listing of 20 items, each of a dozen fields, that bookkeeping is most of what execution costs
outside the resolvers. Here it is done the first time a field is met in a query and kept for the
rest of that execution: the plan depends only on the field in the document, its parent type and
the request's variables, all fixed while one query runs.

Results are the same as graphql-core's, errors included: whatever the plan does not cover (an
awaitable, an error, a null where one is not allowed) goes through graphql-core's own code.
tests/api/test_execution.py runs the schema's queries through both and compares.
"""

from enum import Enum
from functools import partial
from typing import Any, NamedTuple

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    located_error,
)
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined

# Argument values a resolver cannot change in place, so one dict of them serves every object.
_IMMUTABLE = (str, int, float, bool, Enum, type(None))


class _Plan(NamedTuple):
    field_def: GraphQLField
    resolve: Any
    # graphene's default resolver (attribute or dict key) as (name, default), else None.
    attribute: tuple[str, Any] | None
    # Arguments, when the same for every object (None: built again each time).
    args: dict[str, Any] | None
    # The scalar or enum a leaf field serializes to (None: not a leaf).
    leaf: GraphQLLeafType | None


class PlannedExecutionContext(ExecutionContext):
    """An ExecutionContext for schemas whose resolvers are synchronous (the view's `is_awaitable`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[GraphQLObjectType, int], _Plan | None] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        key = (parent_type, id(field_nodes[0]))
        try:
            plan = self._plans[key]
        except KeyError:
            plan = self._plans[key] = self._plan(parent_type, field_nodes)
        if plan is None:
            return super().execute_field(parent_type, source, field_nodes, path)
        field_def = plan.field_def
        info = None  # graphene's default resolver needs none: built only when something reads it
        try:
            if plan.attribute is not None:
                name, default = plan.attribute
                result = (
                    source.get(name, default) if isinstance(source, dict) else getattr(source, name, default)
                )
            else:
                args = plan.args
                if args is None:
                    args = get_argument_values(field_def, field_nodes[0], self.variable_values)
                info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
                result = plan.resolve(source, info, **args)
            leaf = plan.leaf
            if leaf is not None and result is not None and result is not Undefined:
                if isinstance(result, Exception):
                    raise result
                serialized = leaf.serialize(result)
                if serialized is not None and serialized is not Undefined:
                    return serialized
            # Null, an error or anything else: graphql-core's own completion, with its messages.
            if info is None:
                info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
            return self.complete_value(field_def.type, field_nodes, info, path, result)
        except Exception as raw_error:
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, field_def.type, path)
            return None

    def _plan(self, parent_type: GraphQLObjectType, field_nodes: list[FieldNode]) -> _Plan | None:
        if self.middleware_manager is not None:
            return None
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if not field_def:
            return None
        resolve = field_def.resolve or self.field_resolver
        attribute = None
        if (
            isinstance(resolve, partial)
            and resolve.func is dict_or_attr_resolver
            and len(resolve.args) == 2
            and not resolve.keywords
        ):
            attribute = (resolve.args[0], resolve.args[1])
        try:
            args = get_argument_values(field_def, field_nodes[0], self.variable_values)
        except Exception:
            return None  # the error is raised, and located, by graphql-core's own path
        kept_args = args if all(isinstance(value, _IMMUTABLE) for value in args.values()) else None
        named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
        leaf = named if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None
        return _Plan(field_def, resolve, attribute, kept_args, leaf)
