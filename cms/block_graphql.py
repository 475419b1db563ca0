"""What a block shows through the API, declared on the block in terms the shared base can see.

As with wagtail-grapple's blocks, a block lists its `graphql_fields` and describes its type in
`Meta.graphql_description`. The delivery layer (api.graphql.streamfield) builds the GraphQL type
from that and decides how each kind of Wagtail block is shown: an image chooser as an image
anonymous visitors may see, rich text as sanitised HTML, a page chooser as a link to a public page.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A block's children as the API shows them, by child name: what a computed field works from.
Shown = Mapping[str, Any]


@dataclass(frozen=True)
class ChildField:
    """A child block served under its own name, shown the way its kind of block is shown."""

    child: str
    description: str

    @property
    def name(self) -> str:
        return self.child


@dataclass(frozen=True)
class ComputedField:
    """A value the block works out in its method `graphql_<name>(shown)` from its shown children."""

    name: str
    returns: type[str] | type[int]
    description: str
    required: bool = False


BlockField = ChildField | ComputedField
