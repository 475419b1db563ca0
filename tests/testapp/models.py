"""A page with two StreamFields whose blocks nest choosers in lists and structs, and a snippet that
points at a page and is shown by the pages that choose it."""

from django.db import models
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.snippets.models import register_snippet

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


@register_snippet
class Promo(models.Model):
    """A snippet pointing at a page: the pages showing it refer to that page two steps away."""

    title = models.CharField(max_length=100)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return self.title


class StreamPage(BasePage):
    """A page whose body nests choosers and which has a second StreamField beside it."""

    body = StreamField([("links", LinkListBlock()), ("gallery", GalleryBlock())], blank=True)
    sidebar = StreamField(
        [("note", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)), ("button", ButtonBlock())], blank=True
    )

    promo = models.ForeignKey(Promo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    parent_page_types = []

    graphql_fields = [
        graphql_field("body", "api.graphql.streamfield.BodyBlockInterface", "The blocks.", is_list=True),
        graphql_field("sidebar", "api.graphql.streamfield.BodyBlockInterface", "More blocks.", is_list=True),
    ]
