"""graphql-core's validation rules, each rule's visit methods for a kind of node found once per class.

graphql-core builds every rule anew for each document, and each new rule looks up again, for every
kind of node it meets, `enter_<kind>`, `enter`, `leave_<kind>` and `leave`, most of which it does not
have: a failed attribute lookup each, about a fifth of validating a listing query. Which of them a
rule's class has never changes, so here that is worked out once per class and kind; the methods
called are still the rule's own, bound to it as graphql-core binds them.
tests/api/test_rule_dispatch.py validates documents, valid and not, both ways and compares the errors.
"""

from typing import Any

from graphql import ASTValidationRule
from graphql.language.visitor import EnterLeaveVisitor

# {(rule class, node kind): names of the methods called on entering and leaving such a node}
_method_names: dict[tuple[type, str], tuple[str | None, str | None]] = {}
# {graphql-core's rule: its subclass here}
_subclasses: dict[type[ASTValidationRule], type[ASTValidationRule]] = {}


def method_names(cls: type, kind: str) -> tuple[str | None, str | None]:
    """The names of the methods graphql-core's Visitor would call on entering and leaving `kind`."""
    names = _method_names.get((cls, kind))
    if names is None:

        def found(phase: str) -> str | None:
            for name in (f"{phase}_{kind}", phase):
                if getattr(cls, name, None):
                    return name
            return None

        names = _method_names[cls, kind] = (found("enter"), found("leave"))
    return names


class _LookedUpOncePerClass(ASTValidationRule):
    def get_enter_leave_for_kind(self, kind: str) -> EnterLeaveVisitor:
        try:
            return self.enter_leave_map[kind]
        except KeyError:
            enter, leave = method_names(type(self), kind)
            methods = EnterLeaveVisitor(
                getattr(self, enter) if enter else None, getattr(self, leave) if leave else None
            )
            self.enter_leave_map[kind] = methods
            return methods


def looked_up_once(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """`rule`, its visit methods found once per kind of node for the class, not per validation."""
    subclass = _subclasses.get(rule)
    if subclass is None:
        attributes: dict[str, Any] = {"__module__": rule.__module__, "__doc__": rule.__doc__}
        subclass = _subclasses[rule] = type(rule.__name__, (_LookedUpOncePerClass, rule), attributes)
    return subclass
