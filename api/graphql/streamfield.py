"""Typed GraphQL for the shared block library in cms.blocks: one object type per block, no raw JSON."""

import graphene
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException

from api.graphql.documents import DocumentType
from api.graphql.images import ImageType
from api.graphql.rich_text import RichTextHTML
from api.serving import public_link
from api.visibility import public_media
from cms.paths import frontend_path, frontend_url
from cms.sanitise import safe_url


class BodyBlockInterface(graphene.Interface):
    """One block of a page body; query the concrete types with fragments (`... on ParagraphBlock`)."""

    class Meta:
        name = "BodyBlock"

    id = graphene.String(required=True, description="Stable id of the block within the body.")
    block_type = graphene.String(required=True, description="The block's kind, e.g. `paragraph`.")

    @classmethod
    def resolve_type(cls, instance, info):
        return BLOCK_TYPES[instance.block_type]

    @staticmethod
    def resolve_id(child, info):
        return child.id

    @staticmethod
    def resolve_block_type(child, info):
        return child.block_type


class ParagraphBlock(graphene.ObjectType):
    """Rich text."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    html = graphene.Field(RichTextHTML, required=True, description="The text as HTML.")

    @staticmethod
    def resolve_html(child, info):
        # The scalar renders (and sanitises) it, once: the trusted embeds it puts in would not
        # survive a second pass through the sanitiser.
        return child.value


class HeadingBlock(graphene.ObjectType):
    """A section heading."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    text = graphene.String(required=True, description="The heading text.")
    level = graphene.Int(required=True, description="2, 3 or 4 (h2–h4).")

    @staticmethod
    def resolve_text(child, info):
        return child.value["text"]

    @staticmethod
    def resolve_level(child, info):
        return int(child.value["level"][1])


class ImageBlock(graphene.ObjectType):
    """An image in the text with its caption."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    image = graphene.Field(ImageType, description="The image; null if it was deleted.")
    alt = graphene.String(required=True, description="Alt text for this use of the image.")
    caption = graphene.String(description="Caption shown under the image.")

    @staticmethod
    def resolve_image(child, info):
        return public_media(child.value["image"])

    @staticmethod
    def resolve_alt(child, info):
        image = public_media(child.value["image"])
        return child.value["alt_text"] or (image.default_alt_text if image else "")

    @staticmethod
    def resolve_caption(child, info):
        return child.value["caption"] or None


class QuoteBlock(graphene.ObjectType):
    """A pull quote."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    quote = graphene.String(required=True, description="The quoted words.")
    attribution = graphene.String(description="Who said or wrote it.")

    @staticmethod
    def resolve_quote(child, info):
        return child.value["quote"]

    @staticmethod
    def resolve_attribution(child, info):
        return child.value["attribution"] or None


class EmbedBlock(graphene.ObjectType):
    """An embedded video, audio or social post."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    # Nullable, and `embedHtml` not `html`: one fragment over every block type must not meet
    # two fields of the same name with different types (ButtonBlock.url, ParagraphBlock.html).
    url = graphene.String(description="The URL of the embedded item (always set).")
    embed_html = graphene.String(description="Provider's embed HTML, when it could be fetched.")

    @staticmethod
    def resolve_url(child, info):
        return safe_url(child.value.url)

    @staticmethod
    def resolve_embed_html(child, info):
        try:
            return embeds.get_embed(child.value.url).html
        except EmbedException:
            return None


class DocumentBlock(graphene.ObjectType):
    """A link to a document."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    document = graphene.Field(DocumentType, description="The document; null if it was deleted.")
    label = graphene.String(required=True, description="Link text.")

    @staticmethod
    def resolve_document(child, info):
        return public_media(child.value["document"])

    @staticmethod
    def resolve_label(child, info):
        document = public_media(child.value["document"])
        return child.value["label"] or (document.title if document else "")


class ButtonBlock(graphene.ObjectType):
    """A call-to-action button."""

    class Meta:
        interfaces = (BodyBlockInterface,)

    label = graphene.String(required=True, description="Button text.")
    url = graphene.String(
        description="Where it goes: a frontend URL, an external URL or a `mailto:`; "
        "null when it pointed at a page that is not public."
    )

    @staticmethod
    def resolve_label(child, info):
        return child.value["label"]

    @staticmethod
    def resolve_url(child, info):
        from api.visibility import is_public

        value = child.value
        if value["page"]:
            page = value["page"]
            return frontend_url(frontend_path(page)) if is_public(page) else None
        if value["url"]:
            return public_link(value["url"])
        if value["email"]:
            return safe_url(f"mailto:{value['email']}")
        return None


BLOCK_TYPES = {
    "paragraph": ParagraphBlock,
    "heading": HeadingBlock,
    "image": ImageBlock,
    "quote": QuoteBlock,
    "embed": EmbedBlock,
    "document": DocumentBlock,
    "button": ButtonBlock,
}
