"""Registering for an event through its own form: the questions editors choose, and each person's
registration with its place (confirmed, on the waiting list, cancelled). The rules that move people
between them are in events/registering.py."""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormSubmission

from api.forms.pages import FormField


class RegistrationField(FormField):
    """A question on an event's registration form: name, email and consent unless editors change them."""

    page = ParentalKey("events.EventPage", related_name="form_fields", on_delete=models.CASCADE)

    class Meta(FormField.Meta):
        verbose_name = "registration question"


# The questions a registration form starts with: who, where to write, and their consent to be kept.
DEFAULT_QUESTIONS = (
    {"label": "Name", "field_type": "singleline", "required": True},
    {"label": "Email", "field_type": "email", "required": True},
    {
        "label": "Consent",
        "field_type": "checkbox",
        "required": True,
        "help_text": (
            "I agree that the Peru Support Group keeps my name and email address to manage my "
            "registration, as its privacy notice says."
        ),
    },
)


def default_questions() -> list[RegistrationField]:
    return [
        RegistrationField(sort_order=order, **question) for order, question in enumerate(DEFAULT_QUESTIONS)
    ]


class Registration(AbstractFormSubmission):
    """One person's registration for an event: what they answered and where they stand."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    # Copied from the answers: the address the emails go to and requests are found by, the name
    # the admin lists.
    email = models.EmailField(db_index=True)
    name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The event status (postponed, cancelled) this person was last written to about, so that
    # republishing the event does not write again.
    told_of_event_status = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = "registration"
        ordering = ["submit_time", "pk"]
        indexes = [
            models.Index(fields=["page", "status", "submit_time"], name="events_registration_place_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.get_status_display()})"

    @property
    def event_title(self) -> str:
        return str(self.page.title)

    @property
    def place(self) -> str:
        return str(self.get_status_display())

    @property
    def registered_at(self) -> str:
        """London time, as the admin writes dates."""
        return f"{timezone.localtime(self.submit_time):%d/%m/%Y %H:%M}"

    @property
    def answers(self) -> str:
        """Every answer on one line, as the CSV export shows them."""
        return "; ".join(f"{question}: {answer}" for question, answer in self.form_data.items())

    def answer_rows(self) -> list[tuple[str, str]]:
        """Each answer under its question's label, as the admin shows them: ticks as Yes or No."""
        labels = {question.clean_name: question.label for question in self.page.specific.get_form_fields()}
        return [(labels.get(name, name), _answer_text(answer)) for name, answer in self.form_data.items()]

    def get_data(self) -> dict:
        # Wagtail's submissions listing and its CSV export show the place beside the answers.
        return {**super().get_data(), "status": self.get_status_display()}


def _answer_text(answer: object) -> str:
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, list):
        return ", ".join(str(item) for item in answer) or "—"
    return "—" if answer in (None, "") else str(answer)
