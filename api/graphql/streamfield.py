"""GraphQL types of StreamField blocks, built from the block definitions: one type per block class.

Our blocks declare the fields they show on themselves (cms.blocks, with cms.block_graphql). How each
kind of Wagtail block is shown is declared here, once per block class: as a field of a block
(`_FIELD_KINDS`: an image chooser as an image anonymous visitors may see, a page chooser as the
frontend URL of a public page…) and, for the Wagtail blocks that stand in a stream on their own,
as a body block (`_WAGTAIL_BODY_BLOCKS`). A block with neither fails the schema build, loudly.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from graphql import GraphQLResolveInfo
from wagtail import blocks
from wagtail.documents import blocks as documents_blocks
from wagtail.embeds import embeds
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.exceptions import EmbedException
from wagtail.fields import StreamField
from wagtail.images import blocks as images_blocks

from api.graphql.documents import DocumentType
from api.graphql.images import ImageType
from api.graphql.rich_text import RichTextHTML
from api.serving import public_link
from api.visibility import is_public, public_media
from cms.block_graphql import ChildField, ComputedField
from cms.paths import frontend_path, frontend_url
from cms.sanitise import safe_url


class BodyBlockInterface(graphene.Interface):
    """One block of a page body; query the concrete types with fragments (`... on ParagraphBlock`)."""

    class Meta:
        name = "BodyBlock"

    id = graphene.String(required=True, description="Stable id of the block within the body.")
    # A String before `kind` existed; changing its type would break every client generated from it.
    block_type = graphene.String(
        required=True,
        description="The block's kind as a string, e.g. `paragraph`.",
        deprecation_reason="Use `kind`: the same, as an enum (`PARAGRAPH`), which codegen types exactly.",
    )
    kind = graphene.Field(
        lambda: body_block_kind(),
        required=True,
        description="The block's kind, e.g. `PARAGRAPH`.",
    )

    @classmethod
    def resolve_type(cls, instance: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> Any:
        return body_block_type(instance.block)

    @staticmethod
    def resolve_id(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> str:
        return str(child.id)

    @staticmethod
    def resolve_block_type(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> str:
        return str(child.block_type)

    @staticmethod
    def resolve_kind(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> str:
        # The enum's values are the block names: graphene answers the member's name.
        return str(child.block_type)


class _BlockKind(StrEnum):
    """The kinds of block a page body may hold: one per block name of the StreamFields served."""

    @property
    def description(self) -> str | None:
        return _KIND_DESCRIPTIONS.get(self.value)


_KIND_DESCRIPTIONS: dict[str, str] = {}
# The enum of the schema being built: body_block_types() makes it from the StreamFields it reads.
_kind_enum: list[type[graphene.Enum]] = []


def body_block_kind() -> type[graphene.Enum]:
    if not _kind_enum:
        raise ImproperlyConfigured("body_block_types() builds BodyBlockKind before the schema is built.")
    return _kind_enum[-1]


def _make_kind_enum(names: dict[str, blocks.Block]) -> type[graphene.Enum]:
    for name, block in names.items():
        _KIND_DESCRIPTIONS[name] = (body_block_type(block)._meta.description or "").strip()
    members = _BlockKind("BodyBlockKind", {name.upper(): name for name in names})  # type: ignore[call-arg]
    kind: type[graphene.Enum] = graphene.Enum.from_enum(
        members, description="The kind of a body block (its name in the page's StreamField)."
    )
    return kind


# --- Wagtail's blocks as fields of a block ---------------------------------------------------------


@dataclass(frozen=True)
class FieldKind:
    """How one kind of Wagtail block is shown as a field of another block."""

    graphql_type: Callable[[blocks.Block], Any]
    # The value as the API shows it: what the field serves, and what computed fields work from.
    shown: Callable[[blocks.Block, Any], Any]
    required: Callable[[blocks.Block], bool] = lambda block: False


def _public_media(block: blocks.Block, item: Model | None) -> Model | None:
    shown: Model | None = public_media(item)
    return shown


def _public_page_url(block: blocks.Block, page: Any) -> str | None:
    return frontend_url(frontend_path(page)) if is_public(page) else None


def _public_link(block: blocks.Block, url: str | None) -> str | None:
    return public_link(url) if url else None


def _embed_url(block: blocks.Block, embed: EmbedValue | None) -> str | None:
    return safe_url(embed.url) if embed else None


def _text(block: blocks.Block, text: Any) -> Any:
    # An optional text left blank is null, not an empty string.
    return text if text or block.required else None


def _list_type(block: blocks.Block) -> Any:
    return graphene.List(graphene.NonNull(field_kind(block.child_block).graphql_type(block.child_block)))


def _list_shown(block: blocks.Block, items: Iterable[Any]) -> list[Any]:
    # Items that show as nothing (a hidden page, a deleted image) are left out.
    kind = field_kind(block.child_block)
    shown = (kind.shown(block.child_block, item) for item in items)
    return [item for item in shown if item is not None]


def _required(block: blocks.Block) -> bool:
    return bool(block.required)


_TEXT = FieldKind(lambda block: graphene.String, _text, _required)

_FIELD_KINDS: dict[type[blocks.Block], FieldKind] = {
    images_blocks.ImageChooserBlock: FieldKind(lambda block: ImageType, _public_media),
    documents_blocks.DocumentChooserBlock: FieldKind(lambda block: DocumentType, _public_media),
    blocks.PageChooserBlock: FieldKind(lambda block: graphene.String, _public_page_url),
    # The scalar renders (and sanitises) the text, once.
    blocks.RichTextBlock: FieldKind(lambda block: RichTextHTML, lambda block, text: text, _required),
    EmbedBlock: FieldKind(lambda block: graphene.String, _embed_url),
    blocks.URLBlock: FieldKind(lambda block: graphene.String, _public_link),
    blocks.CharBlock: _TEXT,
    blocks.TextBlock: _TEXT,
    blocks.RegexBlock: _TEXT,
    blocks.EmailBlock: _TEXT,
    blocks.ChoiceBlock: _TEXT,
    blocks.ListBlock: FieldKind(_list_type, _list_shown, lambda block: True),
}


def field_kind(block: blocks.Block) -> FieldKind:
    """How `block` is shown as a field: the entry for its class or the nearest class it extends."""
    for cls in type(block).__mro__:
        if cls in _FIELD_KINDS:
            return _FIELD_KINDS[cls]
    raise ImproperlyConfigured(
        f"No GraphQL field kind for a {type(block).__name__} (api.graphql.streamfield)."
    )


class ShownChildren(Mapping[str, Any]):
    """A struct's children as the API shows them, each worked out when first read."""

    def __init__(self, block: blocks.StructBlock, value: Mapping[str, Any]) -> None:
        self.block, self.value = block, value
        self.shown: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.shown:
            child = self.block.child_blocks[name]
            self.shown[name] = field_kind(child).shown(child, self.value.get(name))
        return self.shown[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.block.child_blocks)

    def __len__(self) -> int:
        return len(self.block.child_blocks)


# --- Blocks standing in a stream ---------------------------------------------------------------------


class RichTextBodyBlock(graphene.ObjectType):
    """Rich text."""

    class Meta:
        name = "ParagraphBlock"
        interfaces = (BodyBlockInterface,)

    html = graphene.Field(RichTextHTML, required=True, description="The text as HTML.")

    @staticmethod
    def resolve_html(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> Any:
        # The scalar renders (and sanitises) it, once: the trusted embeds it puts in would not
        # survive a second pass through the sanitiser.
        return child.value


class EmbedBodyBlock(graphene.ObjectType):
    """An embedded video, audio or social post."""

    class Meta:
        name = "EmbedBlock"
        interfaces = (BodyBlockInterface,)

    # Nullable, and `embedHtml` not `html`: one fragment over every block type must not meet
    # two fields of the same name with different types (ButtonBlock.url, ParagraphBlock.html).
    url = graphene.String(description="The URL of the embedded item (always set).")
    embed_html = graphene.String(description="Provider's embed HTML, when it could be fetched.")

    @staticmethod
    def resolve_url(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> str | None:
        return safe_url(child.value.url)

    @staticmethod
    def resolve_embed_html(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> str | None:
        try:
            html: str = embeds.get_embed(child.value.url).html
        except EmbedException:
            return None
        return html


_WAGTAIL_BODY_BLOCKS: dict[type[blocks.Block], type[graphene.ObjectType]] = {
    blocks.RichTextBlock: RichTextBodyBlock,
    EmbedBlock: EmbedBodyBlock,
}

_SCALARS: dict[type, type[graphene.Scalar]] = {str: graphene.String, int: graphene.Int}

_declared_types: dict[type[blocks.Block], type[graphene.ObjectType]] = {}


def body_block_type(block: blocks.Block) -> type[graphene.ObjectType]:
    """The GraphQL type of a block standing in a stream, one per block class."""
    cls = type(block)
    if hasattr(cls, "graphql_fields"):
        if cls not in _declared_types:
            _declared_types[cls] = _declared_type(block)
        return _declared_types[cls]
    for base in cls.__mro__:
        if base in _WAGTAIL_BODY_BLOCKS:
            return _WAGTAIL_BODY_BLOCKS[base]
    raise ImproperlyConfigured(
        f"{cls.__module__}.{cls.__name__} declares no `graphql_fields` (cms.block_graphql) "
        "and is not a Wagtail block the API knows (api.graphql.streamfield)."
    )


def _declared_type(block: blocks.Block) -> type[graphene.ObjectType]:
    cls = type(block)
    description = getattr(block.meta, "graphql_description", None) or cls.__doc__
    meta = type(
        "Meta", (), {"name": cls.__name__, "interfaces": (BodyBlockInterface,), "description": description}
    )
    attributes: dict[str, Any] = {"Meta": meta}
    for declared in cls.graphql_fields:
        if isinstance(declared, ChildField):
            child = block.child_blocks[declared.child]
            kind = field_kind(child)
            field_type = kind.graphql_type(child)
            if kind.required(child):
                field_type = graphene.NonNull(field_type)
            attributes[declared.name] = graphene.Field(field_type, description=declared.description)
            attributes[f"resolve_{declared.name}"] = staticmethod(_child_resolver(declared.child))
        elif isinstance(declared, ComputedField):
            if not callable(getattr(cls, f"graphql_{declared.name}", None)):
                raise ImproperlyConfigured(
                    f"{cls.__name__} declares `{declared.name}` but has no graphql_{declared.name}()."
                )
            scalar: Any = _SCALARS[declared.returns]
            if declared.required:
                scalar = graphene.NonNull(scalar)
            attributes[declared.name] = graphene.Field(scalar, description=declared.description)
            attributes[f"resolve_{declared.name}"] = staticmethod(_computed_resolver(declared.name))
    return type(cls.__name__, (graphene.ObjectType,), attributes)


def _child_resolver(name: str) -> Callable[[blocks.StreamValue.StreamChild, GraphQLResolveInfo], Any]:
    def resolve(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> Any:
        return ShownChildren(child.block, child.value)[name]

    return resolve


def _computed_resolver(name: str) -> Callable[[blocks.StreamValue.StreamChild, GraphQLResolveInfo], Any]:
    def resolve(child: blocks.StreamValue.StreamChild, info: GraphQLResolveInfo) -> Any:
        return getattr(child.block, f"graphql_{name}")(ShownChildren(child.block, child.value))

    return resolve


def body_block_types(models: Iterable[type[Model]]) -> list[type[graphene.ObjectType]]:
    """The GraphQL types of every block that may stand in a StreamField of `models`, in definition order.

    Also makes BodyBlockKind, the enum of their block names, for the schema being built.
    """
    found: dict[type[graphene.ObjectType], None] = {}
    names: dict[str, blocks.Block] = {}
    for model in models:
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for name, block in field.stream_block.child_blocks.items():
                    found.setdefault(body_block_type(block), None)
                    names.setdefault(name, block)
    _kind_enum.append(_make_kind_enum(names))
    return list(found)
