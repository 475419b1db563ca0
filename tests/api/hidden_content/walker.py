"""Queries for every root field of the live schema, selecting everything reachable under it.

For each root field the walker builds one selection tree: every scalar and enum field, every object
field, and on interfaces (Page, BodyBlock) an inline fragment per possible type, recursively, within
the server's depth limit. An object type already selected further up the same branch gets its scalar
fields only, which ends cycles (HomePage.featuredPages → Page → HomePage …). The tree is split into
several requests when it exceeds the server's token, character or alias limits; each part keeps the
path down to what it covers, so together the parts cover the whole tree.

Arguments come from a table (see `ArgumentTable`): a root field's required arguments must be in it,
or the walker reports the field as one it cannot ask for. Root arguments are varied (one request per
value); nested ones use the first value, since one selection can ask for a field only once.
"""

import itertools
import json
from dataclasses import dataclass, field, replace

from graphql import (
    GraphQLNonNull,
    get_named_type,
    is_enum_type,
    is_interface_type,
    is_leaf_type,
    is_object_type,
    is_union_type,
)
from graphql.language import Lexer, Source, TokenKind
from graphql.pyutils import Undefined

# --- Argument values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EnumValue:
    """An enum value, written as its bare name."""

    name: str


@dataclass(frozen=True)
class Value:
    """An argument value the walker sends. `status` is what the server must answer (400: invalid on
    purpose); `matches_nothing` says every paginated result must be empty (a search term or filter
    that only hidden content matches)."""

    value: object
    status: int = 200
    matches_nothing: bool = False


def invalid(value):
    return Value(value, status=400)


def only_hidden(value):
    return Value(value, matches_nothing=True)


@dataclass(frozen=True)
class Fixed:
    """Sent with every request for the field (e.g. pageSize: 50)."""

    value: Value


@dataclass(frozen=True)
class Vary:
    """One request per value of a root argument; below the root, a required argument gets the first
    value and a nullable one is left out."""

    values: tuple


def _as_value(item):
    return item if isinstance(item, Value) else Value(item)


def fixed(value):
    return Fixed(_as_value(value))


def vary(*values):
    return Vary(tuple(_as_value(v) for v in values))


class ArgumentTable:
    """Argument values by `Type.field.arg`, then `*.arg` (any field), then the argument's type name.

    Entries are `Fixed`/`Vary`, or a callable taking the fixture and returning one. An enum argument
    that is not in the table gets each of its values at the root and none (or its first value, if
    required) below it. Any other argument not in the table is left out if nullable; if required, the
    field is reported as one the walker cannot ask for.
    """

    def __init__(self, entries, context, bare_call_status=None):
        self.entries = entries
        self.context = context
        self.bare_call_status = bare_call_status or {}

    def lookup(self, parent, field_name, arg_name, arg):
        named = get_named_type(arg.type)
        for key in (f"{parent}.{field_name}.{arg_name}", f"*.{arg_name}", named.name):
            if key in self.entries:
                entry = self.entries[key]
                return entry(self.context) if callable(entry) else entry
        if is_enum_type(named):
            return Vary(tuple(Value(EnumValue(name)) for name in named.values))
        return None


def literal(value):
    """A GraphQL literal for a Python value (JSON's syntax for strings, numbers and booleans fits)."""
    if isinstance(value, EnumValue):
        return value.name
    return json.dumps(value)


# --- Selection trees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A field (or, with `on`, an inline fragment) and what is selected under it."""

    name: str
    parent: str = ""  # type the field is selected on; for coverage
    covers: tuple = ()  # object types the field runs on (several for an interface's field)
    args: tuple = ()  # (name, literal)
    alias: str | None = None
    on: bool = False
    children: tuple | None = None  # None for a leaf

    def with_children(self, children):
        return replace(self, children=tuple(children))

    def render(self):
        if self.on:
            return f"...on {self.name}{{{' '.join(c.render() for c in self.children)}}}"
        text = f"{self.alias}:{self.name}" if self.alias else self.name
        if self.args:
            text += "(" + ",".join(f"{name}:{value}" for name, value in self.args) + ")"
        if self.children is not None:
            text += "{" + " ".join(c.render() for c in self.children) + "}"
        return text

    def walk(self):
        yield self
        for child in self.children or ():
            yield from child.walk()


@dataclass
class RootRequest:
    """One request for a root field: the variant's arguments, its expectations and its query."""

    root: str
    args: dict
    status: int
    matches_nothing: bool
    query: str

    def label(self):
        shown = ", ".join(f"{k}: {v}" for k, v in self.args.items())
        return f"{self.root}({shown})" if shown else self.root


@dataclass
class Walk:
    """Everything the walker will send for one root field, or why it cannot."""

    root: str
    requests: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    covered: set = field(default_factory=set)  # (type, field) pairs selected
    types: set = field(default_factory=set)  # type names reached


class Walker:
    def __init__(self, schema, table, limits):
        self.schema = schema
        self.table = table
        self.limits = limits
        self.max_depth = limits["MAX_DEPTH"]

    # --- building the tree ---

    def _nested_args(self, parent, name, graphql_field, problems):
        args = []
        for arg_name, arg in graphql_field.args.items():
            entry = self.table.lookup(parent, name, arg_name, arg)
            if entry is None:
                if isinstance(arg.type, GraphQLNonNull):
                    problems.append(
                        f"{parent}.{name}: no value for its required argument `{arg_name}: {arg.type}`; "
                        f"add `{parent}.{name}.{arg_name}` to the walker's argument table"
                    )
                    return None
                continue
            if isinstance(entry, Vary) and not isinstance(arg.type, GraphQLNonNull):
                # Nullable nested arguments with several values: leave them out (their default).
                continue
            value = entry.value if isinstance(entry, Fixed) else entry.values[0]
            args.append((arg_name, literal(value.value)))
        return tuple(args)

    def _fields(self, graphql_type, depth, ancestors, problems, covers, skip=()):
        """Selections for the fields of an object or interface type, for a field at `depth`."""
        leaves_only = graphql_type.name in ancestors
        nodes = []
        for name, graphql_field in graphql_type.fields.items():
            if name in skip:
                continue
            named = get_named_type(graphql_field.type)
            args = self._nested_args(graphql_type.name, name, graphql_field, problems)
            if args is None:
                continue
            if is_leaf_type(named):
                nodes.append(Node(name, graphql_type.name, covers, args))
            elif not leaves_only and depth + 2 <= self.max_depth:
                children = self._selection(named, depth + 1, ancestors | {graphql_type.name}, problems)
                if children:
                    nodes.append(Node(name, graphql_type.name, covers, args, children=children))
        return nodes

    def _selection(self, named, depth, ancestors, problems):
        """The selection set of a field at `depth` whose (named) type is `named`."""
        if is_object_type(named):
            return tuple(self._fields(named, depth, ancestors, problems, (named.name,)))
        possible = sorted(self.schema.get_possible_types(named), key=lambda t: t.name)
        nodes = [Node("__typename", named.name)]
        shared = ()
        if is_interface_type(named):
            shared = tuple(named.fields)
            covers = tuple(t.name for t in possible)
            nodes += self._fields(named, depth, ancestors, problems, covers)
        fragments = []
        for object_type in possible:
            children = self._fields(object_type, depth, ancestors, problems, (object_type.name,), skip=shared)
            fragments.append((object_type, children))
        for object_type, children in _alias_conflicts(fragments):
            if children:
                nodes.append(
                    Node(object_type.name, named.name, (object_type.name,), on=True, children=tuple(children))
                )
        return tuple(nodes)

    def root_tree(self, name, graphql_field, problems):
        named = get_named_type(graphql_field.type)
        query_type = self.schema.query_type.name
        if is_leaf_type(named):
            return Node(name, query_type, (query_type,))
        children = self._selection(named, 1, frozenset(), problems)
        return Node(name, query_type, (query_type,), children=children)

    # --- arguments of the root field ---

    def _root_variants(self, name, graphql_field, problems):
        """[(args {name: Value}, bare)] for the requests to send; `bare` has no optional argument."""
        query_type = self.schema.query_type.name
        fixed_args, required, optional = {}, {}, {}
        for arg_name, arg in graphql_field.args.items():
            entry = self.table.lookup(query_type, name, arg_name, arg)
            is_required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
            if entry is None:
                if is_required:
                    problems.append(
                        f"{query_type}.{name}: no value for its required argument `{arg_name}: {arg.type}`; "
                        f"add `{query_type}.{name}.{arg_name}` to the walker's argument table"
                    )
                continue
            if isinstance(entry, Fixed):
                fixed_args[arg_name] = entry.value
            elif is_required:
                required[arg_name] = entry.values
            else:
                optional[arg_name] = entry.values
        if problems:
            return []
        names = list(required)
        variants = [
            ({**fixed_args, **dict(zip(names, combination, strict=True))}, True)
            for combination in itertools.product(*(required[n] for n in names))
        ]
        first = variants[0][0]
        for arg_name, values in optional.items():
            for value in values:
                variants.append(({**first, arg_name: value}, False))
        return variants

    # --- requests ---

    def walk(self, name):
        graphql_field = self.schema.query_type.fields[name]
        result = Walk(name)
        tree = self.root_tree(name, graphql_field, result.problems)
        variants = self._root_variants(name, graphql_field, result.problems)
        if result.problems:
            result.problems = list(dict.fromkeys(result.problems))
            return result
        for node in tree.walk():
            for covered in node.covers if not node.on else ():
                result.covered.add((covered, node.name))
            if node.on:
                result.types.add(node.name)
        result.types |= {get_named_type(t.type).name for t in _field_types(self.schema, tree)}
        parts = self.split(tree, result.problems)
        query_type = self.schema.query_type.name
        for args, bare in variants:
            status = max([v.status for v in args.values()], default=200)
            if bare:
                status = self.table.bare_call_status.get(f"{query_type}.{name}", status)
            for part in parts:
                root = replace(part, args=tuple((k, literal(v.value)) for k, v in args.items()))
                result.requests.append(
                    RootRequest(
                        root=name,
                        args={k: v.value for k, v in args.items()},
                        status=status,
                        matches_nothing=any(v.matches_nothing for v in args.values()),
                        query="{" + root.render() + "}",
                    )
                )
        return result

    # --- staying within the server's limits ---

    def fits(self, tree):
        query = "{" + tree.render() + "}"
        aliases = sum(1 for node in tree.walk() if node.alias)
        return (
            len(query) <= self.limits["MAX_QUERY_CHARS"] * 0.9
            and count_tokens(query) <= self.limits["MAX_TOKENS"] * 0.9
            and aliases <= self.limits["MAX_ALIASES"]
        )

    def split(self, tree, problems):
        """Parts of `tree`, each within the limits, that together select everything in it."""
        pending, parts = [tree], []
        while pending:
            part = pending.pop()
            if self.fits(part):
                parts.append(part)
                continue
            pieces = _halves(part)
            if pieces is None:
                problems.append(f"{tree.name}: a part of its query cannot be split within the limits")
                return []
            pending.extend(pieces)
        return parts


def _halves(node):
    """Two nodes that together select what `node` does, or None if it has no two branches to part."""
    heavy = [c for c in node.children if c.children]
    light = [c for c in node.children if not c.children]
    if len(heavy) >= 2:
        middle = len(heavy) // 2
        return [node.with_children(light + heavy[:middle]), node.with_children(light + heavy[middle:])]
    if len(heavy) == 1:
        pieces = _halves(heavy[0])
        if pieces is None:
            return None
        return [node.with_children([*light, piece]) for piece in pieces]
    return None


def _alias_conflicts(fragments):
    """Alias a field that two fragments select under one name with different types (which GraphQL
    refuses to merge, e.g. ButtonBlock.url: String and EmbedBlock.url: String!)."""
    signatures = {}
    for object_type, children in fragments:
        for node in children:
            signatures.setdefault(node.name, []).append(str(object_type.fields[node.name].type))
    conflicting = {name for name, types in signatures.items() if len(set(types)) > 1}
    result = []
    for object_type, children in fragments:
        kept = []
        for node in children:
            if node.name in conflicting:
                first = signatures[node.name][0]
                if str(object_type.fields[node.name].type) != first:
                    node = replace(node, alias=f"{node.name}_{object_type.name}")
            kept.append(node)
        result.append((object_type, kept))
    return result


def _field_types(schema, tree):
    """The schema fields a tree selects (for reporting the types it reaches)."""
    for node in tree.walk():
        if node.on or node.name == "__typename":
            continue
        parent = schema.get_type(node.parent)
        if parent is not None and node.name in getattr(parent, "fields", {}):
            yield parent.fields[node.name]


def count_tokens(query):
    lexer = Lexer(Source(query))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def reachable_fields(schema):
    """Every (object type, field) reachable from the root, ignoring depth: what a walk must cover."""
    seen_types, fields = set(), set()
    pending = [schema.query_type]
    while pending:
        graphql_type = pending.pop()
        if graphql_type.name in seen_types:
            continue
        seen_types.add(graphql_type.name)
        if is_interface_type(graphql_type) or is_union_type(graphql_type):
            pending.extend(schema.get_possible_types(graphql_type))
            if is_union_type(graphql_type):
                continue
        for name, graphql_field in graphql_type.fields.items():
            if is_object_type(graphql_type):
                fields.add((graphql_type.name, name))
            named = get_named_type(graphql_field.type)
            if not is_leaf_type(named):
                pending.append(named)
    return fields
