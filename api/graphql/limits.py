"""Validation rules that refuse expensive queries before any resolver (or SQL) runs."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from graphql import GraphQLError, GraphQLList, GraphQLSchema, TypeInfo, get_nullable_type
from graphql.language import (
    BREAK,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
)
from graphql.language.visitor import VisitorAction
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
    ValidationRule,
    ValuesOfCorrectTypeRule,
    specified_rules,
)

from api.graphql.literal_errors import LocatedValuesOfCorrectTypeRule
from api.graphql.rule_dispatch import looked_up_once

# What QueryShapeRule checks one at a time.
Definition = OperationDefinitionNode | FragmentDefinitionNode

# The root fields that open the schema's description, and the prefix of the types that describe it.
# The standard introspection queries (graphql-js's and graphql-core's, which GraphiQL, Apollo Sandbox
# and graphql-codegen send) nest 15 levels, mostly `ofType` unwrapping list and non-null types; that
# is counted against an introspection bound of its own, so MAX_DEPTH stays tight for content queries.
INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})
INTROSPECTION_TYPE_PREFIX = "__"
# The introspection fields answering a list of schema elements: each one selected multiplies the
# answer (every type, its fields, their arguments…). The standard queries select 9; aliases
# selecting `types` again and again are what make an introspection answer costly.
INTROSPECTION_LISTS = frozenset(
    {"types", "directives", "fields", "args", "inputFields", "interfaces", "enumValues", "possibleTypes"}
)


def _too_complex(message: str, node: Node) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX"})


@dataclass
class Shape:
    """What a selection set amounts to once every fragment spread in it is expanded.

    A fragment's shape is worked out once and added where it is spread, so a fragment spread many
    times is counted at its expanded size by arithmetic, never by expanding it.
    """

    depth: int = 0  # levels of fields below the selection set
    fields: int = 0
    aliases: int = 0
    top: int = 0  # fields at the selection set's own level: an operation's root fields
    # At most this many fields answer under one response path once fields with one response name
    # are merged (an upper bound). The spec's OverlappingFieldsCanBeMergedRule compares every two
    # of them, so this bounds its work to a small multiple of the fields.
    repeats: int = 0
    # (field name, response name) of the whole-list root fields at the selection set's own level.
    whole_lists: frozenset[tuple[str, str]] = frozenset()
    # Fields describing the schema (under `__schema`/`__type`, or in a fragment on an introspection
    # type), counted apart from depth and fields above and bounded by the introspection limits.
    introspection_depth: int = 0
    introspection_fields: int = 0
    introspection_lists: int = 0


def whole_list_root_fields(schema: GraphQLSchema) -> frozenset[str]:
    """Root fields answering a list of everything there is (`sitemap`), with no page size to bound it.

    Each answers in proportion to the site, not to the query: under ten aliases one costs ten
    times over, so an operation may select each of them once (merged copies are one selection).
    """
    query_type = schema.query_type
    if query_type is None:
        return frozenset()
    return frozenset(
        name
        for name, field in query_type.fields.items()
        if isinstance(get_nullable_type(field.type), GraphQLList) and "pageSize" not in field.args
    )


class _Scope:
    """One selection set being walked, inline fragments merged in."""

    __slots__ = ("counts", "most", "spread")

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.most = 0  # the largest of counts
        self.spread = 0  # repeats brought in by fragment spreads

    def repeats(self) -> int:
        return self.most + self.spread


class _LimitCrossed(Exception):
    """Carries the first limit crossed out of the walk."""

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


class QueryShapeRule(ValidationRule):
    """Limits depth, root fields, aliases, fields and repeated fields, fragments spread.

    Every operation and fragment is checked (an unused fragment is still validated by the spec's
    rules). Each definition is walked once and each fragment's shape is kept, so the work is linear
    in the document's size however often a fragment is spread, and it stops at the first limit
    crossed. Fragment cycles are refused here: a cycle has no finite shape.
    """

    def enter_document(self, node: DocumentNode, *_args: object) -> VisitorAction:
        limits: dict[str, int] = settings.GRAPHQL_LIMITS
        self.max_depth = limits["MAX_DEPTH"]
        self.max_fields = limits["MAX_FIELDS"]
        self.max_repeats = limits["MAX_REPEATS"]
        self.max_aliases = limits["MAX_ALIASES"]
        self.max_roots = limits["MAX_ROOT_FIELDS"]
        self.max_introspection_depth = limits["MAX_INTROSPECTION_DEPTH"]
        self.max_introspection_fields = limits["MAX_INTROSPECTION_FIELDS"]
        self.max_introspection_lists = limits["MAX_INTROSPECTION_LISTS"]
        self.shapes: dict[str, Shape] = {}
        schema = self.context.schema
        self.whole_lists = whole_list_root_fields(schema)
        self.query_type_name = schema.query_type.name if schema.query_type else None
        self.visits = 0  # selections and spreads looked at: linear in the document's size
        try:
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    what = "The query"
                elif isinstance(definition, FragmentDefinitionNode):
                    name = definition.name.value
                    if self.context.get_fragment(name) is definition:
                        self._resolve_fragments(name)
                        continue
                    # A second fragment of one name is never spread (the spec refuses it), but the
                    # spec's rules still validate its selections.
                    what = f"The fragment '{name}'"
                else:
                    continue
                for spread in self.context.get_fragment_spreads(definition.selection_set):
                    self._resolve_fragments(spread.name.value)
                self._shape(definition.selection_set, definition, what)
        except _LimitCrossed as crossed:
            self.report_error(crossed.error)
        return BREAK

    def _resolve_fragments(self, name: str) -> None:
        """Works out the shape of fragment `name` and of every fragment below it, each once."""
        first = self.context.get_fragment(name)
        if name in self.shapes or first is None:
            return  # an unknown fragment is reported by the spec's KnownFragmentNamesRule
        # Depth-first with an explicit stack, so a long chain of fragments cannot exhaust Python's
        # recursion limit; a fragment's shape is worked out once those it spreads are known.
        path: list[tuple[FragmentDefinitionNode, list[FragmentSpreadNode], int]] = []
        on_path: dict[str, int] = {}

        def enter(fragment: FragmentDefinitionNode) -> None:
            on_path[fragment.name.value] = len(path)
            path.append((fragment, self.context.get_fragment_spreads(fragment.selection_set), 0))

        enter(first)
        while path:
            fragment, spreads, index = path[-1]
            fragment_name = fragment.name.value
            if index < len(spreads):
                self.visits += 1
                path[-1] = (fragment, spreads, index + 1)
                spread = spreads[index]
                spread_name = spread.name.value
                if spread_name in on_path:
                    cycle = [entry[0].name.value for entry in path[on_path[spread_name] :]]
                    via = ", ".join(f"'{n}'" for n in cycle[1:])
                    raise _LimitCrossed(
                        GraphQLError(
                            f"Cannot spread fragment '{spread_name}' within itself"
                            + (f" via {via}." if via else "."),
                            spread,
                            extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                        )
                    )
                if spread_name not in self.shapes:
                    spread_fragment = self.context.get_fragment(spread_name)
                    if spread_fragment is not None:
                        enter(spread_fragment)
                continue
            self.shapes[fragment_name] = self._shape(
                fragment.selection_set, fragment, f"The fragment '{fragment_name}'"
            )
            del on_path[fragment_name]
            path.pop()

    def _shape(self, selection_set: SelectionSetNode, node: Definition, what: str) -> Shape:
        """The shape of a definition's selection set; the fragments it spreads are known already."""
        shape = Shape()
        root = _Scope()
        # Only the query type has root fields: an operation, or a fragment on the query type.
        at_root = isinstance(node, OperationDefinitionNode) or (
            node.type_condition.name.value == self.query_type_name
        )
        whole_lists: set[tuple[str, str]] = set()
        describes_schema = isinstance(node, FragmentDefinitionNode) and (
            node.type_condition.name.value.startswith(INTROSPECTION_TYPE_PREFIX)
        )
        # (selections left, level, scope, where the scope's repeats go when done: (parent, name),
        # whether the selections describe the schema)
        pending: list[tuple[Iterator[SelectionNode], int, _Scope, tuple[_Scope, str] | None, bool]] = [
            (iter(selection_set.selections), 0, root, None, describes_schema)
        ]
        while pending:
            selections, level, scope, close, introspection = pending[-1]
            selection = next(selections, None)
            if selection is None:
                pending.pop()
                if close is not None:
                    parent, name = close
                    self._count(parent, name, max(1, scope.repeats()), node, what)
                continue
            self.visits += 1
            if isinstance(selection, FieldNode):
                shape.aliases += selection.alias is not None
                shape.top += level == 0
                below_introspection = introspection or selection.name.value in INTROSPECTION_ROOT_FIELDS
                if below_introspection:
                    shape.introspection_fields += 1
                    shape.introspection_lists += selection.name.value in INTROSPECTION_LISTS
                    shape.introspection_depth = max(shape.introspection_depth, level + 1)
                else:
                    shape.fields += 1
                    shape.depth = max(shape.depth, level + 1)
                self._check(shape, node, what)
                name = (selection.alias or selection.name).value
                if level == 0 and at_root and selection.name.value in self.whole_lists:
                    whole_lists.add((selection.name.value, name))
                    self._check_whole_lists(whole_lists, node, what)
                if selection.selection_set is None:
                    self._count(scope, name, 1, node, what)
                else:
                    pending.append(
                        (
                            iter(selection.selection_set.selections),
                            level + 1,
                            _Scope(),
                            (scope, name),
                            below_introspection,
                        )
                    )
            elif isinstance(selection, InlineFragmentNode):
                pending.append((iter(selection.selection_set.selections), level, scope, None, introspection))
            elif isinstance(selection, FragmentSpreadNode):
                spread = self.shapes.get(selection.name.value)
                if spread is None:
                    continue
                if spread.fields:
                    shape.depth = max(shape.depth, level + spread.depth)
                if spread.introspection_fields:
                    introspection_depth = level + spread.introspection_depth
                    shape.introspection_depth = max(shape.introspection_depth, introspection_depth)
                shape.fields += spread.fields
                shape.introspection_fields += spread.introspection_fields
                shape.introspection_lists += spread.introspection_lists
                shape.aliases += spread.aliases
                if level == 0:
                    shape.top += spread.top
                    if at_root and spread.whole_lists:
                        whole_lists.update(spread.whole_lists)
                        self._check_whole_lists(whole_lists, node, what)
                self._check(shape, node, what)
                scope.spread += spread.repeats
                self._check_repeats(scope.repeats(), None, node, what)
        shape.repeats = root.repeats()
        shape.whole_lists = frozenset(whole_lists)
        return shape

    def _check_whole_lists(self, whole_lists: set[tuple[str, str]], node: Definition, what: str) -> None:
        names = [field for field, _response in whole_lists]
        repeated = next((field for field in names if names.count(field) > 1), None)
        if repeated is not None:
            raise _LimitCrossed(
                _too_complex(
                    f"{what} selects '{repeated}' under more than one name; it lists everything "
                    "there is, so select it once.",
                    node,
                )
            )

    def _count(self, scope: _Scope, name: str, repeats: int, node: Definition, what: str) -> None:
        count = scope.counts[name] = scope.counts.get(name, 0) + repeats
        scope.most = max(scope.most, count)
        self._check_repeats(scope.repeats(), name, node, what)

    def _check_repeats(self, repeats: int, name: str | None, node: Definition, what: str) -> None:
        if repeats > self.max_repeats:
            field = f"'{name}'" if name else "one field"
            raise _LimitCrossed(
                _too_complex(
                    f"{what} selects {field} more than {self.max_repeats} times at one place once its "
                    f"fragments are spread; the limit is {self.max_repeats}.",
                    node,
                )
            )

    def _check(self, shape: Shape, node: Definition, what: str) -> None:
        # Root fields are an operation's own; a fragment's top level may be spread anywhere.
        if isinstance(node, OperationDefinitionNode) and shape.top > self.max_roots:
            message = (
                f"{what} asks for more than {self.max_roots} root fields; the limit is {self.max_roots}."
            )
        elif shape.depth > self.max_depth:
            message = (
                f"{what} is nested more than {self.max_depth} levels deep; the limit is {self.max_depth}."
            )
        elif shape.aliases > self.max_aliases:
            message = f"{what} uses more than {self.max_aliases} aliases; the limit is {self.max_aliases}."
        elif shape.fields > self.max_fields:
            message = (
                f"{what} selects more than {self.max_fields} fields once its fragments are spread; "
                f"the limit is {self.max_fields}."
            )
        elif shape.introspection_depth > self.max_introspection_depth:
            message = (
                f"{what} describes the schema more than {self.max_introspection_depth} levels deep; "
                f"the limit for introspection is {self.max_introspection_depth}."
            )
        elif shape.introspection_fields > self.max_introspection_fields:
            message = (
                f"{what} selects more than {self.max_introspection_fields} introspection fields once its "
                f"fragments are spread; the limit is {self.max_introspection_fields}."
            )
        elif shape.introspection_lists > self.max_introspection_lists:
            message = (
                f"{what} selects more than {self.max_introspection_lists} introspection lists (`types`, "
                f"`fields`, `args`…) once its fragments are spread; the limit is "
                f"{self.max_introspection_lists}."
            )
        else:
            return
        raise _LimitCrossed(_too_complex(message, node))


def shape_errors(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """QueryShapeRule's verdict, without graphql-core's visitor walking the whole document first."""
    errors: list[GraphQLError] = []
    QueryShapeRule(ValidationContext(schema, document, TypeInfo(schema), errors.append)).enter_document(
        document
    )
    return errors


# Names, numbers, strings and punctuators, as GraphQL's lexer sees them (comments and commas are
# ignored there too). Close enough to refuse a flood before parsing; parse() still counts exactly.
# A string left open runs to the end of the text (a block string) or of its line, and nothing
# backtracks (`*+`): otherwise every quote in `"\"\"\"…` starts a scan to the end, and 10 KB cost
# a second of CPU.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:"""|\\?\Z)'  # block string
    r'|"(?:[^"\\\n]|\\.)*+(?:"|\\?(?=\n|\Z))'  # string
    r"|[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|-?\d+(?:\.\d+)?"  # number
    r"|\.\.\.|[!$&()\[\]{}:=@|]"  # punctuators
)
_COMMENT = re.compile(r"#[^\n\r]*")


def rough_token_count(query: str) -> int:
    return len(_TOKEN.findall(_COMMENT.sub("", query)))


def validation_rules() -> list[type[ASTValidationRule]]:
    """The spec's rules, plus ours (graphene-django's `validation_rules` would replace the spec's).

    QueryShapeRule is run on its own before these (`shape_errors`), so it is not repeated here.
    Each finds its visit methods once per class (api/graphql/rule_dispatch.py).
    """
    rules: list[type[ASTValidationRule]] = [
        LocatedValuesOfCorrectTypeRule if rule is ValuesOfCorrectTypeRule else rule
        for rule in specified_rules
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        # graphql-core's rule still allows __typename, unlike graphene's DisableIntrospection.
        rules.append(NoSchemaIntrospectionCustomRule)
    return [looked_up_once(rule) for rule in rules]
