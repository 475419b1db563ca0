"""The admin's spreadsheet export of form submissions, safe to open in a spreadsheet application.

Readers type the answers, so an answer may start like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`,
or a tab or carriage return before one: OWASP's CSV injection). Wagtail writes a CSV cell as
typed, and an XLSX cell as text (never a formula). On export, a CSV cell that could be read as a
formula gets a leading `'`, which spreadsheet applications show as text; the stored answers are
left as sent, and a plain number such as `-5` is left as it is.
"""

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.contrib.forms.views import SubmissionsListView

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A number as a NUMBER answer is stored (`-5`, `-0.5`, `-1E+2`): shown as the number it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """`value` as a spreadsheet shows it and never evaluates it."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SpreadsheetSafeExport:
    """Put before a SubmissionsListView: formula-like cells of its exports neutralised."""

    FORMAT_CSV = "csv"  # Wagtail's SpreadsheetExportMixin.FORMAT_CSV

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        cleaned = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        return spreadsheet_safe(cleaned) if export_format == self.FORMAT_CSV else cleaned

    def get_heading(self, queryset: Any, field: str) -> str:
        # Editors' labels head the columns: both formats write a heading as a plain string.
        return str(spreadsheet_safe(super().get_heading(queryset, field)))  # type: ignore[misc]


def safe_submissions_view(chosen: "type[SubmissionsListView] | None") -> "type[SubmissionsListView]":
    """The listing a page chose (an app's own, or Wagtail's), with safe exports."""
    if chosen is None:
        # Imported when the admin asks, as Wagtail's FormMixin does: its views need the app registry,
        # which page models are loaded before.
        from wagtail.contrib.forms.views import SubmissionsListView

        chosen = SubmissionsListView
    if issubclass(chosen, SpreadsheetSafeExport):
        return chosen
    return type(chosen.__name__, (SpreadsheetSafeExport, chosen), {"__module__": chosen.__module__})
