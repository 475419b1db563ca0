"""Checks on what a client hands /graphql/ before anything runs: its JSON, and every string and date in it.

Strings are checked wherever they are, literal arguments in the document (at any depth, in lists
and input objects, in variables' defaults) and variable values (keys too), so a resolver never
meets text the database or the encoder cannot take. Dates are range-checked by the argument's
type, so every `Date` and `DateTime` argument is covered, present and future.
"""

import json
import math
import re
import threading
from collections import OrderedDict
from typing import Any, cast

from graphql import (
    BREAK,
    ArgumentNode,
    DocumentNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    Visitor,
    get_named_type,
    type_from_ast,
    visit,
)
from graphql.language.visitor import VisitorAction

from api.input_rules import MAX_DATE, MIN_DATE, date_in_range, forbidden_character

# Deeper JSON is no request a frontend makes; far deeper (≈1,000) exhausts json.loads' recursion.
MAX_JSON_DEPTH = 32
DATE_TYPES = frozenset({"Date", "DateTime"})

# A string left open runs to the end, and nothing backtracks (`*+`): otherwise every quote in
# `"\"\"\"…` starts a scan to the end, and 20 KB cost seconds of CPU. json.loads refuses it after.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class BadJSON(ValueError):
    """JSON refused, with a message saying why."""


def _nesting_exceeds(text: str, limit: int) -> bool:
    if text.count("[") + text.count("{") <= limit:
        return False  # the usual case, counted in C
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _no_constant(name: str) -> Any:
    raise BadJSON(f"`{name}` is not a JSON number.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJSON(f"The number {text[:20]}… is too large.")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise BadJSON(f"The key {json.dumps(key)[:60]} appears twice in one object.")
            seen.add(key)
    return result


def load_json(raw: bytes | str, what: str) -> Any:
    """Parse strict JSON (UTF-8, no NaN or Infinity, no duplicate keys, bounded nesting) or raise BadJSON.

    `what` names the JSON in messages, e.g. "The request body" or "`variables`".
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadJSON(f"{what} is not UTF-8 (JSON is read as UTF-8 whatever the charset says).") from None
    if _nesting_exceeds(raw, MAX_JSON_DEPTH):
        raise BadJSON(f"{what} nests arrays and objects more than {MAX_JSON_DEPTH} levels deep.")
    try:
        return json.loads(
            raw,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            object_pairs_hook=_no_duplicate_keys,
        )
    except BadJSON:
        raise
    except (ValueError, RecursionError):
        raise BadJSON(f"{what} is not valid JSON.") from None


def _input_error(message: str, **where: str) -> dict:
    return {"message": message, "extensions": {"code": "BAD_USER_INPUT", **where}}


def _check_string(value: str, input_type: GraphQLInputType | None, where: str) -> str | None:
    label = f"`{where}`"
    reason = forbidden_character(value)
    if reason:
        return f"{label} {reason}."
    named = get_named_type(input_type) if input_type is not None else None
    if isinstance(named, GraphQLScalarType) and named.name in DATE_TYPES:
        try:
            parsed = named.parse_value(value)
        except Exception:  # noqa: BLE001 - not a date at all: coercion reports it in its own words
            return None
        if not date_in_range(parsed):
            return f"{label} must be a date from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}."
    return None


def _check_value(value: Any, input_type: GraphQLInputType | None, where: str) -> str | None:
    """The first problem in a variable's value, walking it along its declared type."""
    if isinstance(input_type, GraphQLNonNull):
        input_type = input_type.of_type
    if isinstance(value, str):
        return _check_string(value, input_type, where)
    if isinstance(value, list):
        item_type = input_type.of_type if isinstance(input_type, GraphQLList) else None
        for index, item in enumerate(value):
            problem = _check_value(item, item_type, f"{where}[{index}]")
            if problem:
                return problem
    elif isinstance(value, dict):
        fields = input_type.fields if isinstance(input_type, GraphQLInputObjectType) else {}
        for key, item in value.items():
            reason = forbidden_character(key)
            if reason:
                return f"A key in `{where}` {reason}."
            field = fields.get(key)
            problem = _check_value(item, field.type if field else None, f"{where}.{key}")
            if problem:
                return problem
    return None


class _LiteralCheck(Visitor):
    """Finds the first string literal in a document that is refused, naming its argument."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.names: list[str] = []
        self.problem: dict | None = None

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.names.append(node.name.value)

    def leave_argument(self, *_args: Any) -> None:
        self.names.pop()

    def enter_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
        self.names.append(node.name.value)

    def leave_object_field(self, *_args: Any) -> None:
        self.names.pop()

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self.names.append(f"${node.variable.name.value}")

    def leave_variable_definition(self, *_args: Any) -> None:
        self.names.pop()

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> VisitorAction:
        name = ".".join(self.names)
        problem = _check_string(node.value, self.type_info.get_input_type(), name)
        if problem:
            self.problem = _input_error(problem, argument=name)
            return BREAK
        return None


def _variable_types(schema: GraphQLSchema, document: DocumentNode) -> dict[str, GraphQLInputType | None]:
    types: dict[str, GraphQLInputType | None] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                declared = type_from_ast(schema, variable.type)
                # A variable's type is an input type, or None when the schema has no type of that name.
                types.setdefault(variable.variable.name.value, cast(GraphQLInputType | None, declared))
    return types


# A frontend sends the same few documents again and again: what their literals hold is known.
_LITERAL_PROBLEMS: OrderedDict[tuple[int, str | None], dict | None] = OrderedDict()
_LITERAL_PROBLEMS_MAX = 128
_LITERAL_PROBLEMS_LOCK = threading.Lock()


def _literal_problem(schema: GraphQLSchema, document: DocumentNode) -> dict | None:
    source = document.loc.source.body if document.loc else None
    if source is not None and '"' not in source:
        return None  # no string literal at all (the usual query, with variables)
    key = (id(schema), source)
    with _LITERAL_PROBLEMS_LOCK:
        if source is not None and key in _LITERAL_PROBLEMS:
            _LITERAL_PROBLEMS.move_to_end(key)
            return _LITERAL_PROBLEMS[key]
    type_info = TypeInfo(schema)
    check = _LiteralCheck(type_info)
    visit(document, TypeInfoVisitor(type_info, check))
    if source is not None:
        with _LITERAL_PROBLEMS_LOCK:
            _LITERAL_PROBLEMS[key] = check.problem
            while len(_LITERAL_PROBLEMS) > _LITERAL_PROBLEMS_MAX:
                _LITERAL_PROBLEMS.popitem(last=False)
    return check.problem


def find_bad_input(schema: GraphQLSchema, document: DocumentNode, variables: dict | None) -> dict | None:
    """The error entry for the first refused string or date in the document or variables, else None."""
    problem = _literal_problem(schema, document)
    if problem:
        return problem
    types = _variable_types(schema, document)
    for name, value in (variables or {}).items():
        reason = forbidden_character(name)
        if reason:
            return _input_error(f"A variable name {reason}.")
        refused = _check_value(value, types.get(name), f"${name}")
        if refused:
            return _input_error(refused, variable=name)
    return None
