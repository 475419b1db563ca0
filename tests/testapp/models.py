"""A page with two StreamFields whose blocks nest choosers in lists and structs."""

from wagtail import blocks
from wagtail.fields import StreamField

from api.graphql.fields import graphql_field
from cms.block_graphql import BlockField, ChildField
from cms.blocks import RICH_TEXT_FEATURES, ButtonBlock, ImageChooserBlock, PageChooserBlock
from cms.models import BasePage


class LinkListBlock(blocks.StructBlock):
    """Page choosers in a list inside a struct."""

    heading = blocks.CharBlock()
    pages = blocks.ListBlock(PageChooserBlock())

    graphql_fields: tuple[BlockField, ...] = (
        ChildField("heading", "The list's heading."),
        ChildField("pages", "Frontend URLs of the public pages among those chosen."),
    )

    class Meta:
        graphql_description = "Links to pages of the site."


class GalleryBlock(blocks.StructBlock):
    """Image choosers in a list inside a struct."""

    images = blocks.ListBlock(ImageChooserBlock())

    graphql_fields: tuple[BlockField, ...] = (ChildField("images", "The images anonymous visitors may see."),)

    class Meta:
        graphql_description = "A row of images."


class StreamPage(BasePage):
    """A page whose body nests choosers and which has a second StreamField beside it."""

    body = StreamField([("links", LinkListBlock()), ("gallery", GalleryBlock())], blank=True)
    sidebar = StreamField(
        [("note", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)), ("button", ButtonBlock())], blank=True
    )

    parent_page_types = []

    graphql_fields = [
        graphql_field("body", "api.graphql.streamfield.BodyBlockInterface", "The blocks.", is_list=True),
        graphql_field("sidebar", "api.graphql.streamfield.BodyBlockInterface", "More blocks.", is_list=True),
    ]
