"""The home page, standing pages and calls to join."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from api.forms.pages import FORM_GRAPHQL_FIELD, FormField, FormPageMixin, form_panels
from api.graphql.fields import graphql_field
from api.graphql.listings import listing
from api.prefetch import image_prefetch, prepare_pages
from api.visibility import public_media, public_pages
from cms.blocks import RICH_TEXT_FEATURES, BodyBlock
from cms.models import BasePage, summary_field
from cms.panels import item_titles, page_tabs
from cms.validation import validate_money


class HomePage(BasePage):
    """The site's front page: a hero chosen by editors, with the latest news and next events derived."""

    hero_heading = models.CharField(
        max_length=255, help_text="The large headline at the top of the home page."
    )
    hero_text = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="A sentence or two under the headline."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel(
                    "hero_image", help_text="Optional; a wide photograph works best. Set its focal point."
                ),
            ],
            "Hero",
        ),
        InlinePanel(
            "featured_pages",
            label="featured page",
            heading="Featured pages",
            max_num=6,
            help_text="Up to six pages to feature, in order.",
            attrs=item_titles("page"),
        ),
    ]
    edit_handler = page_tabs(content_panels)

    api_prefetch = [image_prefetch("hero_image"), "featured_pages"]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "home.StandardPage",
        "home.JoinPage",
        "formpages.FormPage",
    ]
    max_count = 1

    graphql_fields = [
        graphql_field("hero_heading", "graphene.String", "The large headline at the top.", required=True),
        graphql_field("hero_text", "api.graphql.rich_text.RichTextHTML", "Text under the headline, as HTML."),
        graphql_field(
            "hero_image",
            "api.graphql.images.ImageType",
            "The hero image, if any.",
            source="public_hero_image",
        ),
        graphql_field(
            "featured_pages",
            "api.graphql.interfaces.PageInterface",
            "Pages the editors chose to feature, in their order. Pages that are not public are left out.",
            is_list=True,
            source="public_featured_pages",
        ),
        graphql_field(
            "latest_news",
            lambda: listing("latest_news").item_type(),
            "The newest news items by publication date (derived, never hand-maintained).",
            is_list=True,
            source="resolve_latest_news",
        ),
        graphql_field(
            "upcoming_events",
            lambda: listing("upcoming_events").item_type(),
            "The next events that have not yet ended, soonest first.",
            is_list=True,
            source="resolve_upcoming_events",
        ),
    ]

    class Meta:
        verbose_name = "home page"

    @property
    def public_hero_image(self):
        return public_media(self.hero_image)

    @property
    def public_featured_pages(self):
        ids = [item.page_id for item in self.featured_pages.all()]
        pages = public_pages().filter(id__in=ids).specific().in_bulk()
        return prepare_pages([pages[pk] for pk in ids if pk in pages])

    def resolve_latest_news(self, info, **kwargs):
        return prepare_pages(listing("latest_news").items(3))

    def resolve_upcoming_events(self, info, **kwargs):
        return prepare_pages(listing("upcoming_events").items(3))


class HomePageFeaturedPage(Orderable):
    """A page editors chose to feature on the home page."""

    home_page = ParentalKey(HomePage, related_name="featured_pages", on_delete=models.CASCADE)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page", help_text="The page to feature.")]


class StandardPage(BasePage):
    """A standing page such as “PSG Aims”, “Historical Overview” or “Human Rights”."""

    summary = summary_field("What listings, search results and social shares show.")
    body = StreamField(BodyBlock(), blank=True, help_text="The page content.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    edit_handler = page_tabs(content_panels)
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "formpages.FormPage"]

    graphql_fields = [
        graphql_field(
            "summary", "graphene.String", "Plain-text summary (at most 300 characters).", required=True
        ),
        graphql_field(
            "body",
            "api.graphql.streamfield.BodyBlockInterface",
            "The page content as typed blocks.",
            is_list=True,
        ),
    ]

    class Meta:
        verbose_name = "standing page"


class JoinPage(FormPageMixin, BasePage):
    """A call to join PSG: why, the membership options, one clear call to action, and the application form."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Opening paragraph.")
    cta_label = models.CharField(
        "call to action label", max_length=80, default="Become a member", help_text="The button text."
    )
    cta_url = models.URLField(
        "call to action URL", blank=True, help_text="Where the button goes (a sign-up form)…"
    )
    cta_email = models.EmailField(
        "call to action email", blank=True, help_text="…or an email address to write to."
    )
    membership_question = models.CharField(
        max_length=255,
        blank=True,
        default="Which membership would you like?",
        help_text=(
            "The application form's first question, offering the membership options above with their "
            "prices. Leave empty to leave it out."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "reasons",
            label="reason",
            heading="Reasons to join",
            help_text="Drag to reorder.",
            attrs=item_titles("text"),
        ),
        InlinePanel(
            "membership_options",
            label="membership option",
            heading="Membership options",
            help_text="Each kind of membership with its price; drag to reorder.",
            attrs=item_titles("name"),
        ),
        MultiFieldPanel(
            [FieldPanel("cta_label"), FieldPanel("cta_url"), FieldPanel("cta_email")],
            "Call to action",
            help_text="Give a URL or an email address (or both: the URL is used first).",
        ),
    ]
    application_panels = [FieldPanel("membership_question"), *form_panels()]
    edit_handler = page_tabs(content_panels, ("Application form", application_panels))
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    # One call to join per site: a second would split the membership options.
    max_count_per_parent = 1
    api_prefetch = ["reasons", "membership_options", "form_fields"]

    graphql_fields = [
        graphql_field("intro", "api.graphql.rich_text.RichTextHTML", "Opening paragraph, as HTML."),
        graphql_field("reasons", "home.schema.JoinReasonType", "Reasons to join, in order.", is_list=True),
        graphql_field(
            "membership_options",
            "home.schema.MembershipOptionType",
            "Membership options, in order.",
            is_list=True,
        ),
        graphql_field(
            "call_to_action", "home.schema.CallToActionType", "The join button.", source="call_to_action"
        ),
        FORM_GRAPHQL_FIELD,
    ]

    class Meta:
        verbose_name = "join page"

    def extra_form_fields(self):
        """The membership options as the form's first question, each with its price."""
        options = list(self.membership_options.all())
        if not (self.membership_question and options):
            return []
        return [
            JoinFormField(
                clean_name=MEMBERSHIP_FIELD_NAME,
                label=self.membership_question,
                field_type="radio",
                required=True,
                choices="\n".join(option.choice_label() for option in options),
            )
        ]

    def clean(self):
        super().clean()
        if not (self.cta_url or self.cta_email):
            raise ValidationError({"cta_url": "Give a URL or an email address for the call to action."})

    @property
    def call_to_action(self):
        return {"label": self.cta_label, "url": self.cta_url or None, "email": self.cta_email or None}


MEMBERSHIP_FIELD_NAME = "membership"


class JoinFormField(FormField):
    """A question of the join page's application form."""

    page = ParentalKey(JoinPage, related_name="form_fields", on_delete=models.CASCADE)

    def clean(self):
        super().clean()
        if self.get_field_clean_name() == MEMBERSHIP_FIELD_NAME:
            raise ValidationError(
                {"label": "The membership question asks this already: choose another label."}
            )


class JoinReason(Orderable):
    """One reason to join, shown as a bullet."""

    page = ParentalKey(JoinPage, related_name="reasons", on_delete=models.CASCADE)
    text = models.CharField(max_length=255, help_text="One short sentence.")

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


class MembershipOption(Orderable):
    """A kind of membership with its price and period."""

    PERIODS = [("year", "per year"), ("month", "per month"), ("life", "for life"), ("once", "one-off")]

    page = ParentalKey(JoinPage, related_name="membership_options", on_delete=models.CASCADE)
    name = models.CharField(max_length=100, help_text="E.g. “Individual”, “Concession”, “Organisation”.")
    amount = models.DecimalField(max_digits=8, decimal_places=2, help_text="The price, e.g. 25.00.")
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code, e.g. GBP.")
    period = models.CharField(max_length=10, choices=PERIODS, default="year")
    description = models.TextField(blank=True, max_length=500, help_text="What this option includes.")

    panels = [
        FieldPanel("name"),
        FieldPanel("amount"),
        FieldPanel("currency"),
        FieldPanel("period", help_text="How often the price is paid."),
        FieldPanel("description"),
    ]

    def clean(self):
        super().clean()
        validate_money(self.amount, self.currency)

    def __str__(self):
        return self.name

    def choice_label(self):
        """How the application form offers this option, e.g. “Individual: £25.00 per year”."""
        symbol = CURRENCY_SYMBOLS.get(self.currency)
        price = f"{symbol}{self.amount}" if symbol else f"{self.amount} {self.currency}"
        return f"{self.name}: {price} {self.get_period_display()}"
