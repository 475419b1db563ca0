"""The one StreamField block library every page body uses, each block with the GraphQL fields it shows.

The fields are declared here (cms.block_graphql); api.graphql.streamfield builds the GraphQL types
from these definitions.
"""

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.documents import blocks as documents_blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import blocks as images_blocks

from cms.block_graphql import BlockField, ChildField, ComputedField, Shown
from cms.request_objects import known_objects, objects_by_id
from cms.sanitise import safe_url


class RequestCachedChooserMixin:
    """Chooser blocks reading the objects a request loaded for all its pages at once (cms.request_objects)."""

    model_class: Any

    def bulk_to_python(self, values: Iterable[Any]) -> list[Any]:
        if known_objects(self.model_class) is None:
            loaded: list[Any] = super().bulk_to_python(values)  # type: ignore[misc]
            return loaded
        values = list(values)
        objects = objects_by_id(self.model_class, [pk for pk in values if pk is not None])
        # A copy per use: what one block sets on its object (prefetched renditions) stays its own.
        return [
            copy.copy(objects[pk]) if pk is not None and objects[pk] is not None else None for pk in values
        ]


class ImageChooserBlock(RequestCachedChooserMixin, images_blocks.ImageChooserBlock):
    """Wagtail's image chooser, batched across an API response."""


class DocumentChooserBlock(RequestCachedChooserMixin, documents_blocks.DocumentChooserBlock):
    """Wagtail's document chooser, batched across an API response."""


class PageChooserBlock(RequestCachedChooserMixin, blocks.PageChooserBlock):
    """Wagtail's page chooser, batched across an API response."""


RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the document outline correct under the page title."""

    text = blocks.CharBlock(max_length=200, help_text="The heading text.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")],
        default="h2",
        help_text="Heading 2 for main sections, 3 and 4 for subsections.",
    )

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("text", "The heading text."),
        ComputedField("level", int, "2, 3 or 4 (h2–h4).", required=True),
    )

    class Meta:
        icon = "title"
        label = "Heading"
        graphql_description = "A section heading."

    def graphql_level(self, shown: Shown) -> int:
        return int(shown["level"][1])


class ImageBlock(blocks.StructBlock):
    """An image in the flow of the text, with its own caption and alt text."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=255,
        help_text="Describe the image for people who cannot see it. Leave blank to use the "
        "image's own description.",
    )
    caption = blocks.CharBlock(required=False, max_length=255, help_text="Shown under the image.")

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("image", "The image; null if it was deleted."),
        ComputedField("alt", str, "Alt text for this use of the image.", required=True),
        ChildField("caption", "Caption shown under the image."),
    )

    class Meta:
        icon = "image"
        label = "Image"
        graphql_description = "An image in the text with its caption."

    def graphql_alt(self, shown: Shown) -> str:
        image = shown["image"]
        return shown["alt_text"] or (image.default_alt_text if image else "")


class QuoteBlock(blocks.StructBlock):
    """A pull quote with the person or source it comes from."""

    quote = blocks.TextBlock(help_text="The quoted words, without quotation marks.")
    attribution = blocks.CharBlock(required=False, max_length=255, help_text="Who said or wrote it.")

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("quote", "The quoted words."),
        ChildField("attribution", "Who said or wrote it."),
    )

    class Meta:
        icon = "openquote"
        label = "Quote"
        graphql_description = "A pull quote."


class DocumentBlock(blocks.StructBlock):
    """A download link to a document in the library (reports, agendas, briefings)."""

    document = DocumentChooserBlock()
    label = blocks.CharBlock(
        required=False, max_length=255, help_text="Link text; leave blank to use the document title."
    )

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("document", "The document; null if it was deleted."),
        ComputedField("label", str, "Link text.", required=True),
    )

    class Meta:
        icon = "doc-full"
        label = "Document"
        graphql_description = "A link to a document."

    def graphql_label(self, shown: Shown) -> str:
        document = shown["document"]
        return shown["label"] or (document.title if document else "")


class ButtonBlock(blocks.StructBlock):
    """A call-to-action button pointing at a page of the site, an external URL or an email address."""

    label = blocks.CharBlock(max_length=80, help_text="Button text, e.g. “Register now”.")
    page = PageChooserBlock(required=False, help_text="Link to a page of this site…")
    url = blocks.URLBlock(required=False, help_text="…or to an external address…")
    email = blocks.EmailBlock(required=False, help_text="…or to an email address.")

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("label", "Button text."),
        ComputedField(
            "url",
            str,
            "Where it goes: a frontend URL, an external URL or a `mailto:`; "
            "null when it pointed at a page that is not public.",
        ),
    )

    class Meta:
        icon = "link"
        label = "Call to action button"
        graphql_description = "A call-to-action button."

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        targets = [name for name in ("page", "url", "email") if value.get(name)]
        if len(targets) != 1:
            message = "Choose exactly one of a page, a URL or an email address."
            raise blocks.StructBlockValidationError(
                block_errors={
                    name: ErrorList([ValidationError(message)]) for name in ("page", "url", "email")
                }
            )
        return value

    def graphql_url(self, shown: Shown) -> str | None:
        # A page shows as its frontend URL only while public, a URL only when its scheme is safe.
        link: str | None = shown["page"] or shown["url"]
        if link is None and shown["email"]:
            link = safe_url(f"mailto:{shown['email']}")
        return link


class BodyBlock(blocks.StreamBlock):
    """The body of news, events and standing pages."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow", label="Paragraph")
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", label="Embed (video, audio, social post)")
    document = DocumentBlock()
    button = ButtonBlock()
