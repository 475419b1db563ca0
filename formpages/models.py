"""Pages that are mostly a form editors build: a newsletter sign-up, a contact form."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from api.forms.pages import FORM_GRAPHQL_FIELD, FormField, FormPageMixin, form_panels
from api.graphql.fields import graphql_field
from cms.blocks import RICH_TEXT_FEATURES
from cms.models import BasePage
from cms.panels import page_tabs


class FormPage(FormPageMixin, BasePage):
    """A page readers fill in a form on, such as the newsletter sign-up or the contact form."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="What the form is for, shown above it."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), *form_panels()]
    edit_handler = page_tabs(content_panels)
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []
    api_prefetch = ["form_fields"]

    graphql_fields = [
        graphql_field("intro", "api.graphql.rich_text.RichTextHTML", "What the form is for, as HTML."),
        FORM_GRAPHQL_FIELD,
    ]

    class Meta:
        verbose_name = "form page"


class FormPageField(FormField):
    """A question of a form page."""

    page = ParentalKey(FormPage, related_name="form_fields", on_delete=models.CASCADE)
