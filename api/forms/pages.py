"""What a page with a form is: Wagtail's form builder, fitted to a site whose frontend lives elsewhere.

A content app's page subclasses `FormPageMixin` before its base page and keys a `FormField`
subclass to it (`related_name="form_fields"`), lists "form_fields" in its `api_prefetch`, and adds
`form_panels()` to its editor panels and `FORM_GRAPHQL_FIELD` to its `graphql_fields`. What a valid
submission does is the page's `accept_submission()`, which an app overrides to own the outcome
(an event's capacity and waiting list, say) and the message the reader gets back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import django.forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractFormField, FormMixin, FormSubmission

from api.forms.emails import plain_address, queue_emails
from api.graphql.fields import graphql_field
from api.visibility import public_pages_at
from cms.admin_fields import no_such_date
from cms.panels import item_titles

# The kinds of field editors may add; each is a Django form field on the server (`PublicFormBuilder`)
# and a `FormFieldType` value in the API.
FIELD_TYPES = [
    ("singleline", "Single line text"),
    ("multiline", "Multi-line text"),
    ("email", "Email address"),
    ("number", "Number"),
    ("date", "Date"),
    ("url", "Web address (URL)"),
    ("checkbox", "Checkbox (one tick, e.g. consent)"),
    ("checkboxes", "Checkboxes (tick any of the choices)"),
    ("dropdown", "Drop-down (pick one of the choices)"),
    ("radio", "Radio buttons (pick one of the choices)"),
]
CHOICE_TYPES = frozenset({"checkboxes", "dropdown", "radio"})
MULTIPLE_TYPES = frozenset({"checkboxes"})
# Longest accepted answer to each kind of text field, in characters; also what the API tells a form.
SINGLE_LINE_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 2000


def multiline_max_length() -> int:
    return int(settings.FORMS_MAX_VALUE_CHARS)


class FormField(AbstractFormField):
    """One question of a form, as editors build it; a page's app keys a concrete subclass to the page."""

    label = models.CharField(
        max_length=255,
        help_text="The question as readers see it, e.g. “Your email address”.",
    )
    field_type = models.CharField(
        "field type",
        max_length=16,
        choices=FIELD_TYPES,
        help_text="What kind of answer: the frontend shows the matching input and the server checks it.",
    )
    required = models.BooleanField(
        default=True, help_text="Readers must answer before they can send the form."
    )
    choices = models.TextField(
        blank=True,
        help_text="For checkboxes, drop-downs and radio buttons only: one choice per line.",
    )
    default_value = models.TextField(
        blank=True,
        help_text="Optional: the answer filled in at first (for checkboxes, one ticked choice per line).",
    )
    help_text = models.CharField(
        max_length=255, blank=True, help_text="Optional: a hint shown under the question."
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("field_type", classname="formbuilder-type"),
        FieldPanel("required"),
        FieldPanel("choices", classname="formbuilder-choices"),
        FieldPanel("help_text"),
        FieldPanel("default_value", classname="formbuilder-default"),
    ]

    class Meta(AbstractFormField.Meta):
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.field_type in CHOICE_TYPES and not self.choices.strip():
            raise ValidationError({"choices": "Give at least one choice, one per line."})
        if self.field_type not in CHOICE_TYPES and self.choices.strip():
            raise ValidationError({"choices": "Only checkboxes, drop-downs and radio buttons have choices."})
        message = self._default_value_problem()
        if message:
            raise ValidationError({"default_value": message})

    def _default_value_problem(self) -> str | None:
        """What is wrong with the answer filled in at first, checked as a reader's answer would be:
        a default the form itself would refuse is sent to every reader, who cannot tell why."""
        lines = [line.strip() for line in self.default_value.splitlines() if line.strip()]
        if not lines:
            return None
        if len(lines) > 1 and self.field_type not in {*MULTIPLE_TYPES, "multiline"}:
            return "Give one answer, on one line (only checkboxes take one ticked choice per line)."
        if self.field_type in CHOICE_TYPES:
            choices = self.choice_list()
            missing = next((line for line in lines if line not in choices), None)
            if missing is None:
                return None
            return (
                f"“{missing}” is not one of the choices: copy one exactly as it is written there, "
                "or leave this blank."
            )
        create = PublicFormBuilder([]).get_create_field_function(self.field_type)
        try:
            create(self, {"required": False}).clean("\n".join(lines))
        except ValidationError as error:
            if self.field_type == "date":
                return no_such_iso_date(lines[0]) or (
                    f"“{lines[0]}” is not a date written as the form fills it in, YYYY-MM-DD: "
                    "e.g. 2026-12-10 for 10 December 2026."
                )
            return _DEFAULT_MESSAGES.get(self.field_type, " ".join(error.messages)).format(lines[0])
        return None

    @property
    def name(self) -> str:
        """The key an answer is submitted and stored under."""
        return str(self.clean_name or self.get_field_clean_name())

    def choice_list(self) -> list[str]:
        return [value for value, _label in PublicFormBuilder([]).get_formatted_field_choices(self)]

    def max_length(self) -> int | None:
        """The longest answer accepted, in characters, for the text kinds of field."""
        return {
            "singleline": SINGLE_LINE_MAX_LENGTH,
            "multiline": multiline_max_length(),
            "email": EMAIL_MAX_LENGTH,
            "url": URL_MAX_LENGTH,
        }.get(self.field_type)


_DEFAULT_MESSAGES = {
    "number": "“{}” is not a number: give one such as 10 or 2.5, or leave this blank.",
    "email": "“{}” is not an email address: give one such as name@example.org, or leave this blank.",
    "url": "“{}” is not a web address: give one such as https://www.example.org/, or leave this blank.",
    "checkbox": "Write true to have the box ticked at first, or leave this blank.",
}


def no_such_iso_date(typed: str) -> str | None:
    """“There is no 31 February 2026: …” for a YYYY-MM-DD date that does not exist; else None."""
    year, month, day = (typed.split("-") + ["", "", ""])[:3]
    return no_such_date(f"{day}/{month}/{year}") if year.isdigit() and len(year) == 4 else None


class TickField(django.forms.BooleanField):
    """One tick: `true` or `false` as the API documents (and `on`, `1`, `0` or empty, as browsers
    and checkboxes send them); any other answer is a mistake rather than a tick."""

    # Read as sent: a checkbox widget would turn any text into a tick before the field saw it.
    widget = django.forms.TextInput
    _TRUE = frozenset({"true", "on", "1"})
    _FALSE = frozenset({"false", "off", "0", ""})

    def to_python(self, value: Any) -> bool:
        if isinstance(value, str):
            text = value.strip().lower()
            if text not in self._TRUE | self._FALSE:
                raise ValidationError("Send true or false.", code="invalid")
            return text in self._TRUE
        return bool(super().to_python(value))


def _one_plain_address(value: str) -> None:
    # The confirmation goes to this address and PSG's replies too: one plain address only. An
    # address Django's own check refuses gets that check's one message, not two.
    try:
        validate_email(value)
    except ValidationError:
        return
    if not plain_address(value):
        raise ValidationError("Enter one email address, like name@example.org.", code="invalid")


class PublicFormBuilder(FormBuilder):
    """Wagtail's form builder with every text answer bounded and choices one per line."""

    def get_formatted_field_choices(self, field: Any) -> list[tuple[str, str]]:
        # One choice per line, always: a single choice containing a comma stays whole.
        lines = [line.strip() for line in (field.choices or "").splitlines()]
        return [(line, line) for line in lines if line]

    def get_formatted_field_initial(self, field: Any) -> list[str]:
        return [line.strip() for line in (field.default_value or "").splitlines() if line.strip()]

    def create_singleline_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return django.forms.CharField(max_length=SINGLE_LINE_MAX_LENGTH, **options)

    def create_multiline_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return django.forms.CharField(
            max_length=multiline_max_length(), widget=django.forms.Textarea, **options
        )

    def create_email_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return django.forms.EmailField(
            max_length=EMAIL_MAX_LENGTH, validators=[_one_plain_address], **options
        )

    def create_url_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return django.forms.URLField(max_length=URL_MAX_LENGTH, assume_scheme="https", **options)

    def create_number_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        # Bounded, so an answer cannot be a thousand-digit number.
        return django.forms.DecimalField(max_digits=20, decimal_places=6, **options)

    def create_checkbox_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return TickField(**options)

    def create_date_field(self, field: Any, options: dict[str, Any]) -> django.forms.Field:
        return django.forms.DateField(input_formats=["%Y-%m-%d"], **options)


@dataclass(frozen=True)
class SubmissionOutcome:
    """What became of a valid submission: the message the reader is shown, and where to send them."""

    message: str
    redirect_path: str | None = None
    submission: FormSubmission | None = None


class FormPageMixin(FormMixin, models.Model):
    """A page readers can answer a form on, through the API; put it before the base page class."""

    form_builder = PublicFormBuilder

    submit_label = models.CharField(
        "submit button label",
        max_length=60,
        default="Send",
        help_text="The text on the form's button, e.g. “Apply” or “Sign up”.",
    )
    confirmation_message = models.TextField(
        max_length=1000,
        default="Thank you: we have received your answers.",
        help_text="Shown to readers once their answers are accepted, and included in the email they get.",
    )
    redirect_path = models.CharField(
        max_length=255,
        blank=True,
        help_text="Optional: a page of the site to send readers to once the form is sent, e.g. /thank-you/.",
    )
    email_confirmation = models.BooleanField(
        "email readers a confirmation",
        default=True,
        help_text="If the form asks for an email address, send the confirmation message there too.",
    )

    class Meta:
        abstract = True

    # The page is served by the frontend: FormMixin's own rendering and its POST handling on the
    # Wagtail URL (which would skip the API's guards) give way to the base page's.
    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return super(FormMixin, self).serve(request, *args, **kwargs)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> Any:
        return super(FormMixin, self).serve_preview(request, mode_name)

    def get_preview_context(self, request: HttpRequest, mode_name: str) -> Any:
        return super(FormMixin, self).get_preview_context(request, mode_name)

    @property
    def preview_modes(self) -> Any:
        return super(FormMixin, self).preview_modes

    @property
    def default_preview_mode(self) -> Any:
        return super(FormMixin, self).default_preview_mode

    def clean(self) -> None:
        super().clean()
        path = self.redirect_path.strip()
        if path and (not path.startswith("/") or path.startswith("//") or any(c.isspace() for c in path)):
            raise ValidationError(
                {"redirect_path": "Give a path on the site starting with /, e.g. /thank-you/."}
            )
        # Only a path the page never had is checked: one saved earlier whose page was unpublished
        # since must not stop the page being saved, or a revision naming it being published (by
        # the schedule, on approval); the edit view warns of it instead.
        if path and not redirect_target_is_public(path) and not self._had_redirect_path(path):
            raise ValidationError(
                {
                    "redirect_path": f"No published page has the path {path}: give the path of a "
                    "published page of the site (publish it first if it is new), or leave this blank "
                    "to keep readers on the form's page."
                }
            )
        self.redirect_path = path

    def _had_redirect_path(self, path: str) -> bool:
        """Whether this page had `path` as its redirect path: saved, or in any of its revisions."""
        if self.pk is None:
            return False
        saved = type(self).objects.filter(pk=self.pk, redirect_path=path).exists()
        had: bool = saved or self.revisions.filter(content__redirect_path=path).exists()
        return had

    def get_form_fields(self) -> Sequence[Any]:
        """The form's questions in order; `extra_form_fields()` first (a list, prefetched by the API)."""
        return [*self.extra_form_fields(), *self.form_fields.all()]

    def extra_form_fields(self) -> list[FormField]:
        """Questions the page derives from its own content rather than editors adding them (unsaved)."""
        return []

    def has_form(self) -> bool:
        """Whether there is anything to answer; a page without questions offers no form."""
        return bool(self.get_form_fields())

    def takes_submissions(self) -> bool:
        """Whether readers may answer the form here: an alias mirrors another page's content, and
        answers sent to it would land where editors never look for them."""
        return self.alias_of_id is None and self.has_form()

    @property
    def public_form(self) -> FormPageMixin | None:
        return self if self.takes_submissions() else None

    def email_field_name(self) -> str | None:
        """The first email question's name: where the confirmation goes."""
        return next((field.name for field in self.get_form_fields() if field.field_type == "email"), None)

    def accept_submission(self, form: django.forms.Form, request: HttpRequest) -> SubmissionOutcome:
        """Act on a valid, human submission: store it and send the emails (after the transaction).

        Override to change what a submission does; raise ValidationError (a dict by field name, or
        a message for the whole form) to refuse it with messages the reader sees.
        """
        submission = self.process_form_submission(form)
        outcome = SubmissionOutcome(
            message=self.confirmation_message, redirect_path=self.redirect_path or None, submission=submission
        )
        # An override that keeps the emails queues them itself, with the message its reader gets.
        transaction.on_commit(lambda: queue_emails(submission.pk, outcome.message))
        return outcome


def redirect_target_is_public(path: str) -> bool:
    """Whether a redirect path (query and fragment aside) is a page anonymous readers can open,
    looked up as the API's `page(path:)` looks it up."""
    page_path = urlsplit(path).path
    found: bool = public_pages_at(page_path if page_path.endswith("/") else page_path + "/").exists()
    return found


def form_panels() -> list[Panel]:
    """The editor panels of a page's form: its questions, then what happens once it is sent."""
    return [
        InlinePanel(
            "form_fields",
            label="question",
            heading="Form questions",
            help_text="What the form asks, in order. Drag to reorder.",
            attrs=item_titles("label"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("submit_label"),
                FieldPanel("confirmation_message"),
                FieldPanel("redirect_path"),
                FieldPanel("email_confirmation"),
            ],
            "After the form is sent",
        ),
    ]


FORM_GRAPHQL_FIELD = graphql_field(
    "form",
    "api.forms.schema.FormType",
    "The form readers answer on this page (sent with `submitForm`); null if it has no questions.",
    source="public_form",
)
