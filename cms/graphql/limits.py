"""Validation rules that refuse expensive queries before any resolver (or SQL) runs."""

import re

from django.conf import settings
from graphql import GraphQLError
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule, specified_rules


def _too_complex(message, node):
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX"})


class QueryShapeRule(ASTValidationRule):
    """Limits an operation's depth, root fields and aliases, following fragments once each."""

    def enter_operation_definition(self, node, *_args):
        self.max_depth = 0
        self.aliases = 0
        self.visiting = set()
        root_fields = self._walk(node.selection_set, 0, count_roots=True)
        limits = settings.GRAPHQL_LIMITS
        if self.max_depth > limits["MAX_DEPTH"]:
            self.report_error(
                _too_complex(
                    f"The query is nested {self.max_depth} levels deep; the limit is {limits['MAX_DEPTH']}.",
                    node,
                )
            )
        if root_fields > limits["MAX_ROOT_FIELDS"]:
            self.report_error(
                _too_complex(
                    f"The query asks for {root_fields} root fields; "
                    f"the limit is {limits['MAX_ROOT_FIELDS']}.",
                    node,
                )
            )
        if self.aliases > limits["MAX_ALIASES"]:
            self.report_error(
                _too_complex(
                    f"The query uses {self.aliases} aliases; the limit is {limits['MAX_ALIASES']}.", node
                )
            )

    def _walk(self, selection_set, depth, count_roots=False):
        if selection_set is None:
            return 0
        roots = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                roots += 1
                if selection.alias:
                    self.aliases += 1
                self.max_depth = max(self.max_depth, depth + 1)
                self._walk(selection.selection_set, depth + 1)
            elif isinstance(selection, InlineFragmentNode):
                roots += self._walk(selection.selection_set, depth, count_roots)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                # Unknown and cyclic fragments are reported by the spec's own rules.
                if fragment is None or name in self.visiting:
                    continue
                self.visiting.add(name)
                roots += self._walk(fragment.selection_set, depth, count_roots)
                self.visiting.discard(name)
        return roots


# Names, numbers, strings and punctuators, as GraphQL's lexer sees them (comments and commas are
# ignored there too). Close enough to refuse a flood before parsing; parse() still counts exactly.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # block string
    r'|"(?:[^"\\\n]|\\.)*"'  # string
    r"|[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|-?\d+(?:\.\d+)?"  # number
    r"|\.\.\.|[!$&()\[\]{}:=@|]"  # punctuators
)
_COMMENT = re.compile(r"#[^\n\r]*")


def rough_token_count(query):
    return len(_TOKEN.findall(_COMMENT.sub("", query)))


def validation_rules():
    """The spec's rules, plus ours (graphene-django's `validation_rules` would replace the spec's).

    QueryShapeRule is run on its own before these (cms.graphql.view), so it is not repeated here.
    """
    rules = list(specified_rules)
    if not settings.GRAPHQL_INTROSPECTION:
        # graphql-core's rule still allows __typename, unlike graphene's DisableIntrospection.
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules
