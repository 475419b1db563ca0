"""The one StreamField block library every page body uses (GraphQL types: api.graphql.streamfield)."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.documents import blocks as documents_blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import blocks as images_blocks


class RequestCachedChooserMixin:
    """Chooser blocks that read objects prefetched for the whole API response (api.prefetch)."""

    def bulk_to_python(self, values):
        from api.prefetch import objects_for_chooser
        from cms.request_cache import store

        if store() is None:
            return super().bulk_to_python(values)
        return objects_for_chooser(self.model_class, list(values))


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

    class Meta:
        icon = "title"
        label = "Heading"


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

    class Meta:
        icon = "image"
        label = "Image"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with the person or source it comes from."""

    quote = blocks.TextBlock(help_text="The quoted words, without quotation marks.")
    attribution = blocks.CharBlock(required=False, max_length=255, help_text="Who said or wrote it.")

    class Meta:
        icon = "openquote"
        label = "Quote"


class DocumentLinkBlock(blocks.StructBlock):
    """A download link to a document in the library (reports, agendas, briefings)."""

    document = DocumentChooserBlock()
    label = blocks.CharBlock(
        required=False, max_length=255, help_text="Link text; leave blank to use the document title."
    )

    class Meta:
        icon = "doc-full"
        label = "Document"


class ButtonBlock(blocks.StructBlock):
    """A call-to-action button pointing at a page of the site, an external URL or an email address."""

    label = blocks.CharBlock(max_length=80, help_text="Button text, e.g. “Register now”.")
    page = PageChooserBlock(required=False, help_text="Link to a page of this site…")
    url = blocks.URLBlock(required=False, help_text="…or to an external address…")
    email = blocks.EmailBlock(required=False, help_text="…or to an email address.")

    class Meta:
        icon = "link"
        label = "Call to action button"

    def clean(self, value):
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


class BodyBlock(blocks.StreamBlock):
    """The body of news, events and standing pages."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow", label="Paragraph")
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", label="Embed (video, audio, social post)")
    document = DocumentLinkBlock()
    button = ButtonBlock()
