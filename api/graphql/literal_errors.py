"""The spec's check of literal values, with a place in the query for every error it reports.

ValuesOfCorrectTypeRule passes on a scalar's own GraphQLError as raised, and graphene's scalars
(Date, DateTime, Decimal) raise theirs without the node: the client was told "Date cannot represent
value: '2016-13-01'" with no line and column, unlike every other validation error.
"""

from typing import Any

from graphql import GraphQLError, ValueNode
from graphql.validation import ValuesOfCorrectTypeRule


class LocatedValuesOfCorrectTypeRule(ValuesOfCorrectTypeRule):
    """ValuesOfCorrectTypeRule whose errors always point at the literal they are about."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._checking: ValueNode | None = None

    def is_valid_value_node(self, node: ValueNode) -> None:
        self._checking = node
        try:
            super().is_valid_value_node(node)
        finally:
            self._checking = None

    def report_error(self, error: GraphQLError) -> None:
        if not error.nodes and self._checking is not None:
            error = GraphQLError(
                error.message,
                self._checking,
                original_error=error.original_error,
                extensions=error.extensions,
            )
        super().report_error(error)
