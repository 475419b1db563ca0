"""Events: venues PSG returns to, the events index and the events themselves."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from api.edge_cache import cms_url
from api.forms.pages import FORM_GRAPHQL_FIELD, FormPageMixin, SubmissionOutcome
from api.graphql.fields import graphql_field
from cms.blocks import BodyBlock
from cms.models import BasePage, summary_field
from cms.panels import item_titles, page_tabs
from cms.sanitise import safe_url
from cms.validation import validate_money
from events.registering import load_places_taken, register
from events.registrations import Registration, default_questions
from events.registrations import RegistrationField as RegistrationField  # the app's models, all here


class Venue(index.Indexed, models.Model):
    """A place PSG holds events; a snippet because PSG returns to the same venues."""

    # Help texts sit on the fields: the snippet form and the event form's “add a venue” form show them.
    name = models.CharField(max_length=255, help_text="E.g. “UCL Global Governance Institute”.")
    address_line_1 = models.CharField(max_length=255, blank=True, help_text="E.g. “29–31 Tavistock Square”.")
    address_line_2 = models.CharField(
        max_length=255, blank=True, help_text="Optional second line, e.g. a building or floor."
    )
    city = models.CharField(max_length=100, blank=True, default="London", help_text="Town or city.")
    postcode = models.CharField(max_length=20, blank=True, help_text="E.g. WC1H 9QU.")
    country = models.CharField(max_length=100, default="United Kingdom", help_text="Country of the venue.")
    url = models.URLField("website", blank=True, help_text="The venue's own website, if any.")

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("postcode")]),
                FieldPanel("country"),
            ],
            "Address",
        ),
        FieldPanel("url"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("city"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def address_lines(self):
        return [line for line in (self.address_line_1, self.address_line_2) if line]


class EventIndexPage(BasePage):
    """The events section; its children are the events."""

    intro = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="Shown above the events list."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    edit_handler = page_tabs(content_panels)
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    graphql_fields = [
        graphql_field("intro", "api.graphql.rich_text.RichTextHTML", "Shown above the events list, as HTML."),
        graphql_field(
            "calendar_feed_url",
            "graphene.String",
            "A calendar of the upcoming events (iCalendar, `.ics`) to subscribe to: offer it as is and "
            "with `webcal://` in place of `https://`. Absolute URL on the CMS.",
            required=True,
        ),
    ]

    class Meta:
        verbose_name = "events index"

    @property
    def calendar_feed_url(self):
        return cms_url(reverse("events-ical-feed"))


class EventPageForm(WagtailAdminFormPageForm):
    """The event form: registering here needs a question for the email address, and starts with
    the default questions (name, email, consent) when editors have given none."""

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("registration_form"):
            return cleaned_data
        questions = [
            form.cleaned_data
            for form in self.formsets["form_fields"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if questions and not any(question.get("field_type") == "email" for question in questions):
            self.add_error(
                "registration_form", "Add a question of type “Email” to the form: confirmations go there."
            )
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=False)
        if page.registration_form and not any(True for _ in page.form_fields.all()):
            page.form_fields = default_questions()
        if commit:
            page.save()
        return page


class EventPage(FormPageMixin, BasePage):
    """An event such as PSG's annual conference: when, where, prices, registration and programme."""

    class Status(models.TextChoices):
        # Labelled apart from publishing's “scheduled” (a page waiting for its go-live time).
        SCHEDULED = "scheduled", "Going ahead"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    starts_at = models.DateTimeField(help_text="Date and time the event starts (London time).")
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Date and time it ends (London time). Leave blank if not announced."
    )
    status = models.CharField("event status", max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    summary = summary_field("What event lists show.")
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Choose a venue, or add one. Leave blank for online-only events.",
    )
    online_url = models.URLField(
        "online URL", blank=True, help_text="Where to join online, if it is streamed."
    )
    registration_required = models.BooleanField(
        default=False, help_text="Tick if people must register. Then give an email address or a URL."
    )
    registration_email = models.EmailField(blank=True, help_text="Where to send registrations…")
    registration_url = models.URLField("registration URL", blank=True, help_text="…or a registration form.")
    registration_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Last moment to register (London time); before the event starts."
    )
    registration_note = models.CharField(
        max_length=255, blank=True, help_text="E.g. “Please register your attendance in advance if possible.”"
    )
    registration_form = models.BooleanField(
        "take registrations here",
        default=False,
        help_text=(
            "People register with the form below, on the public site: places, the waiting list and "
            "the emails are handled for you. The deadline above closes it (else the start)."
        ),
    )
    registration_opens_at = models.DateTimeField(
        "registration opens",
        null=True,
        blank=True,
        help_text="When the form opens (London time). Leave blank to open it as soon as the event is live.",
    )
    registration_capacity = models.PositiveIntegerField(
        "places", null=True, blank=True, help_text="How many people can come. Leave blank for no limit."
    )
    registration_waiting_list = models.BooleanField(
        "waiting list",
        default=True,
        help_text="When it is full, take names for a waiting list; a cancellation gives the first a place.",
    )
    body = StreamField(BodyBlock(), blank=True, help_text="Agenda, speakers and anything else.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    event_details_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel(
                    "status",
                    help_text=(
                        "Whether it goes ahead. Postponed and cancelled events stay listed, marked so. "
                        "Publishing a change to Postponed or Cancelled emails everyone registered here "
                        "(confirmed and waiting) and closes registration."
                    ),
                ),
            ],
            "When",
        ),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("online_url")], "Where"),
        InlinePanel(
            "prices",
            label="ticket price",
            heading="Ticket prices",
            help_text="One row per kind of ticket; use 0 for free. Drag rows to reorder.",
            attrs=item_titles("label"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_required"),
                FieldRowPanel([FieldPanel("registration_email"), FieldPanel("registration_url")]),
                FieldPanel("registration_deadline"),
                FieldPanel("registration_note"),
            ],
            "Registration",
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_form"),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_capacity")]),
                FieldPanel("registration_waiting_list"),
                FieldPanel("submit_label"),
                InlinePanel(
                    "form_fields",
                    label="question",
                    heading="Questions",
                    help_text=(
                        "What the form asks. Left empty, it asks for a name, an email address and "
                        "consent. One question must be of type “Email”."
                    ),
                    attrs=item_titles("label"),
                ),
            ],
            "Registration form",
        ),
        InlinePanel(
            "programme",
            label="programme item",
            heading="Programme",
            help_text="In time order.",
            attrs=item_titles("time", "title"),
        ),
    ]
    edit_handler = page_tabs(content_panels, ("Event details", event_details_panels))
    base_form_class = EventPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        # The admin's page search matches as you type (autocomplete): let it find the text too.
        index.AutocompleteField("summary"),
        index.AutocompleteField("body"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    # What API listings read, fetched for the whole list at once (api.prefetch).
    api_prefetch = ["venue", "prices", "programme", "prefetch_registration"]

    graphql_fields = [
        graphql_field(
            "starts_at",
            "graphene.DateTime",
            "Start, ISO 8601 with its London offset.",
            required=True,
            source="starts_at_local",
        ),
        graphql_field(
            "ends_at",
            "graphene.DateTime",
            "End, ISO 8601 with its London offset; null if not announced.",
            source="ends_at_local",
        ),
        graphql_field(
            "status",
            "events.schema.EventStatus",
            "Whether the event goes ahead as scheduled.",
            required=True,
            source="status_enum",
        ),
        graphql_field(
            "summary", "graphene.String", "Plain-text summary, at most 300 characters.", required=True
        ),
        graphql_field(
            "venue", "events.schema.VenueType", "Where it takes place; null for online-only events."
        ),
        graphql_field(
            "online_url", "graphene.String", "Where to join online, if streamed.", source="online_url_or_none"
        ),
        graphql_field("prices", "events.schema.TicketPriceType", "Ticket prices, in order.", is_list=True),
        graphql_field(
            "registration",
            "events.schema.RegistrationType",
            "How to register.",
            required=True,
            source="registration",
        ),
        graphql_field(
            "programme", "events.schema.ProgrammeItemType", "The programme, in order.", is_list=True
        ),
        # The registration form, while the event takes registrations on the site.
        FORM_GRAPHQL_FIELD,
        graphql_field(
            "body",
            "api.graphql.streamfield.BodyBlockInterface",
            "Details as typed blocks.",
            is_list=True,
        ),
        graphql_field(
            "ical_url",
            "graphene.String",
            "This event as an iCalendar file (`.ics`, RFC 5545) for “Add to calendar”: London times, "
            "venue, status. Absolute URL on the CMS.",
            required=True,
        ),
    ]

    class Meta:
        verbose_name = "event"
        # Listings run in start order: an index keeps the next 10 cheap however many events pass.
        indexes = [models.Index(fields=["starts_at"], name="events_starts_at_idx")]

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The event must end after it starts."
        if self.starts_at and self.registration_deadline and self.registration_deadline > self.starts_at:
            errors["registration_deadline"] = "The registration deadline must be before the event starts."
        if self.registration_required and not (
            self.registration_email or self.registration_url or self.registration_form
        ):
            errors["registration_email"] = (
                "Registration is required: give an email address or a URL, or take registrations here."
            )
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and opens >= closes:
            errors["registration_opens_at"] = (
                "Registration must open before it closes (the deadline or the start)."
            )
        if errors:
            raise ValidationError(errors)

    # schema.org's names for what `status` and the places say.
    EVENT_STATUS = {
        Status.SCHEDULED: "https://schema.org/EventScheduled",
        Status.POSTPONED: "https://schema.org/EventPostponed",
        Status.CANCELLED: "https://schema.org/EventCancelled",
    }

    def structured_data(self, context):
        """A schema.org Event with what Google asks of one: dates with London's offset, status,
        attendance mode, the venue's address, an offer per ticket price and the organiser."""
        event = {
            "@type": "Event",
            "name": self.title,
            "url": context.url(self),
            "startDate": context.london(self.starts_at),
            "eventStatus": self.EVENT_STATUS.get(self.status, self.EVENT_STATUS[self.Status.SCHEDULED]),
            "eventAttendanceMode": self.attendance_mode,
            "location": self.places,
            "organizer": context.organization(),
        }
        if self.ends_at:
            event["endDate"] = context.london(self.ends_at)
        description = self.search_description or self.summary
        if description:
            event["description"] = description
        image = context.share_image(self)
        if image:
            event["image"] = [image]
        offers = [price.offer(self.registration_url or context.url(self)) for price in self.prices.all()]
        if offers:
            event["offers"] = offers
        return [event]

    @property
    def attendance_mode(self):
        online, offline = bool(self.online_url_or_none), self.venue_id is not None
        mode = "Mixed" if online and offline else "Online" if online else "Offline"
        return f"https://schema.org/{mode}EventAttendanceMode"

    @property
    def places(self):
        """Where to attend: the venue as a Place with its postal address, the stream as a VirtualLocation."""
        places = []
        if self.venue is not None:
            venue = self.venue
            address = {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(venue.address_lines),
                "addressLocality": venue.city,
                "postalCode": venue.postcode,
                "addressCountry": venue.country,
            }
            place = {
                "@type": "Place",
                "name": venue.name,
                "address": {key: value for key, value in address.items() if value},
            }
            if safe_url(venue.url):
                place["url"] = safe_url(venue.url)
            places.append(place)
        if self.online_url_or_none:
            places.append({"@type": "VirtualLocation", "url": self.online_url_or_none})
        return places[0] if len(places) == 1 else places

    @property
    def starts_at_local(self):
        return timezone.localtime(self.starts_at) if self.starts_at else None

    @property
    def ends_at_local(self):
        return timezone.localtime(self.ends_at) if self.ends_at else None

    @property
    def status_enum(self):
        return self.status

    @property
    def online_url_or_none(self):
        return safe_url(self.online_url)

    @property
    def registration(self):
        return self

    @property
    def ical_url(self):
        return cms_url(reverse("event-ical", args=[self.pk]))

    @property
    def registration_closes_at(self):
        """When the form closes: the deadline, else the start."""
        return self.registration_deadline or self.starts_at

    @classmethod
    def prefetch_registration(cls, events):
        """The form's questions and the places taken, for the events of a list that take
        registrations here (none: no query)."""
        taking = [event for event in events if event.registration_form]
        if taking:
            prefetch_related_objects(taking, "form_fields")
            load_places_taken(taking)

    # The registration form (api/forms/pages.py): each person's answers are a Registration.
    def get_submission_class(self):
        return Registration

    def get_data_fields(self):
        return [*super().get_data_fields(), ("status", "Place")]

    def has_form(self):
        return self.registration_form and super().has_form()

    # Shown when deleting registrations under Forms (cms/templates/wagtailforms/confirm_delete.html).
    deleting_submissions_note = (
        "Deleting a confirmed registration frees its place: the first on the waiting list, in the "
        "order they registered, get the freed places and are emailed. The people deleted are not "
        "emailed."
    )

    def accept_submission(self, form, request):
        """A place, the waiting list or a refusal (closed, full), by the rules of events/registering.py;
        the emails are the registration's own, not the form's."""
        outcome = register(self, form.cleaned_data)
        if not outcome.ok:
            raise ValidationError(outcome.message)
        return SubmissionOutcome(
            message=outcome.message, redirect_path=self.redirect_path or None, submission=outcome.registration
        )


class TicketPrice(Orderable):
    """One ticket price: “Members and concessions” 8.00 GBP."""

    page = ParentalKey(EventPage, related_name="prices", on_delete=models.CASCADE)
    label = models.CharField(max_length=100, help_text="Who pays this, e.g. “Non-members”.")
    amount = models.DecimalField(max_digits=8, decimal_places=2, help_text="E.g. 13.00. Use 0 for free.")
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code, e.g. GBP.")

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("amount"), FieldPanel("currency")])]

    def clean(self):
        super().clean()
        validate_money(self.amount, self.currency)

    def offer(self, url):
        """This price as a schema.org Offer."""
        return {
            "@type": "Offer",
            "name": self.label,
            "price": f"{self.amount:.2f}",
            "priceCurrency": self.currency,
            "url": url,
        }

    def __str__(self):
        return f"{self.label}: {self.amount} {self.currency}"


class ProgrammeItem(Orderable):
    """A moment in the programme: “10:30 Registration and coffee”."""

    page = ParentalKey(EventPage, related_name="programme", on_delete=models.CASCADE)
    time = models.TimeField(help_text="London time, e.g. 10:30.")
    title = models.CharField(max_length=255)
    detail = models.TextField(blank=True, help_text="Optional: speakers, room, a line of description.")

    panels = [
        FieldRowPanel([FieldPanel("time"), FieldPanel("title", help_text="What happens, e.g. “Keynote”.")]),
        FieldPanel("detail"),
    ]

    def __str__(self):
        return f"{self.time:%H:%M} {self.title}"
