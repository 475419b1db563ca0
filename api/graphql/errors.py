"""GraphQL errors clients can branch on by `extensions.code`."""

from typing import Any

from graphql import GraphQLError


class UserInputError(GraphQLError):
    """A bad argument: the message says which and why."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        extensions: dict[str, Any] = {"code": "BAD_USER_INPUT"}
        if argument:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


class RequestError(Exception):
    """A request refused before execution, with its HTTP status and error code."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}
