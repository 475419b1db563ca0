"""How the admin's form fields take what editors type: dates and times in UK formats, with a message
that gives the format when one cannot be read; text boxes with a limit that count instead of cutting
what is pasted; topics ticked from a list. cms/wagtail_hooks.py registers them for every form."""

import calendar
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from taggit.managers import TaggableManager
from wagtail.admin.forms.tags import TagField
from wagtail.admin.widgets import (
    AdminAutoHeightTextInput,
    AdminDateInput,
    AdminDateTimeInput,
    AdminTimeInput,
)

DATETIME_HINT = "DD/MM/YYYY HH:MM"

_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s|$)")


def no_such_date(typed: Any) -> str | None:
    """What is wrong with a DD/MM/YYYY date (a time may follow) that is written right but does not
    exist, “There is no 31 February 2026: February 2026 has 28 days.”; None for anything else.

    Without it the admin would answer “Enter the date as DD/MM/YYYY” to a date written just so.
    """
    match = _DAY_FIRST.match(str(typed).strip())
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    # A month past 12 is most likely a date written month first: the format message fits that.
    if not (1 <= month <= 12 and day >= 1 and year >= 1):
        return None
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return None
    month_name = calendar.month_name[month]
    return f"There is no {day} {month_name} {year}: {month_name} {year} has {days} days."


class _SaysWhichDateIsMissing:
    """A date field whose message, for a well-written date that does not exist, says so."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)  # type: ignore[misc]
        except ValidationError:
            message = no_such_date(value)
            if message is None:
                raise
            raise ValidationError(message, code="no_such_date") from None


class UKDateField(_SaysWhichDateIsMissing, forms.DateField):
    """A date typed DD/MM/YYYY."""


class UKDateTimeField(_SaysWhichDateIsMissing, forms.DateTimeField):
    """A date and time typed DD/MM/YYYY HH:MM."""


DATETIME_FIELD = {
    "form_class": UKDateTimeField,
    "widget": AdminDateTimeInput(attrs={"placeholder": DATETIME_HINT}),
    "error_messages": {
        "invalid": "Enter the date and time as DD/MM/YYYY HH:MM, 24-hour, e.g. 10/12/2026 18:30.",
    },
}
DATE_FIELD = {
    "form_class": UKDateField,
    "widget": AdminDateInput(attrs={"placeholder": "DD/MM/YYYY"}),
    "error_messages": {"invalid": "Enter the date as DD/MM/YYYY, e.g. 10/12/2026."},
}
TIME_FIELD = {
    "widget": AdminTimeInput(attrs={"placeholder": "HH:MM"}),
    "error_messages": {"invalid": "Enter the time as HH:MM, 24-hour, e.g. 18:30."},
}


class CountedTextarea(AdminAutoHeightTextInput):
    """A text box whose limit is counted (cms/static/cms/character-count.js), not enforced by the
    browser: with `maxlength` a pasted text is cut at the limit without a word, mid-sentence."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if "maxlength" in widget_attrs:
            widget_attrs["data-max-characters"] = widget_attrs.pop("maxlength")
        return context


TEXT_FIELD = {
    "widget": CountedTextarea,
    "error_messages": {
        "max_length": (
            "At most %(limit_value)d characters: this has %(show_value)d. Shorten it and save again "
            "(nothing was cut)."
        ),
    },
}


class TickedTagsField(forms.ModelMultipleChoiceField):
    """Tags ticked from the curated list (a tag model with free_tagging = False), instead of typed:
    typing invites tags that do not exist, which would be dropped, and quotes multi-word ones."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset: QuerySet[Any], help_text: str = "", **kwargs: Any) -> None:
        where = f"Snippets → {queryset.model._meta.verbose_name_plural.capitalize()}"
        kwargs["error_messages"] = {
            "invalid_choice": f"“%(value)s” is not in the list. Tick from the list, or add it under {where}.",
            "invalid_pk_value": f"“%(pk)s” is not in the list. Tick from the list, or add it under {where}.",
        }
        help_text = f"{help_text} Missing one? Add it under {where}.".strip()
        super().__init__(queryset, help_text=help_text, **kwargs)

    def clean(self, value: Any) -> QuerySet[Any]:
        # An empty value says “none ticked”, as the typed field's empty text did.
        return super().clean([item for item in value or [] if item != ""])


def tag_field(db_field: TaggableManager) -> dict[str, Any]:
    """Wagtail's typed tags where anyone may add tags; ticked from the list where they are curated."""
    tag_model = db_field.related_model
    if getattr(tag_model, "free_tagging", True):
        return {"form_class": TagField, "tag_model": tag_model}
    return {"form_class": TickedTagsField, "queryset": tag_model.objects.order_by("name")}
