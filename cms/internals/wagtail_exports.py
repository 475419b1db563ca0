"""Wagtail's spreadsheet exports, reached into so that no CSV the admin writes hands a spreadsheet a
formula (OWASP's CSV injection).

Every “Download CSV” of the admin goes through `SpreadsheetExportMixin` (wagtail.admin.views.mixins):
the Registrations listing, Forms submissions, Reports (PSG's Scheduled and drafts, and Wagtail's own:
locked pages, aging pages, site history, workflows), redirects. What people and editors type
(names, answers, page titles, labels) may start like a formula: `=HYPERLINK(…)`, `+`, `-`, `@`, or a
tab or carriage return before one, or spaces, which spreadsheet applications may drop. Wagtail
writes a CSV cell as it is, an XLSX cell as text (never a formula), and a heading as a plain string
in both. Installed on the mixin itself (`install`, from cms/apps.py), so Wagtail's own views and any
viewset added later are covered without each remembering to be: a CSV cell and any heading that
could be read as a formula gets a leading `'`, which spreadsheet applications show as text; what is
stored is left as it is, and a plain number such as `-5` stays a number.

tests/internals/test_wagtail_exports.py fails when an upgrade changes what this relies on.
"""

import re
from typing import Any

from wagtail.admin.views.mixins import SpreadsheetExportMixin

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A number as a NUMBER answer is stored (`-5`, `-0.5`, `-1E+2`): shown as the number it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """`value` as a spreadsheet shows it and never evaluates it."""
    if not isinstance(value, str):
        return value
    unpadded = value.lstrip()
    if not (value.startswith(_FORMULA_STARTS) or unpadded.startswith(_FORMULA_STARTS)):
        return value
    if _PLAIN_NUMBER.fullmatch(unpadded):
        return value
    return "'" + value


def install() -> None:
    """Wraps the mixin's value and heading preparation, once."""
    mixin: Any = SpreadsheetExportMixin
    if getattr(mixin, "_psg_spreadsheet_safe", False):
        return
    preprocess, heading = mixin.preprocess_field_value, mixin.get_heading

    def preprocess_field_value(self: Any, field: str, value: Any, export_format: str) -> Any:
        cleaned = preprocess(self, field, value, export_format)
        return spreadsheet_safe(cleaned) if export_format == mixin.FORMAT_CSV else cleaned

    def get_heading(self: Any, queryset: Any, field: str) -> str:
        # Editors' labels head the columns, written as plain strings in both formats.
        return str(spreadsheet_safe(heading(self, queryset, field)))

    mixin.preprocess_field_value = preprocess_field_value
    mixin.get_heading = get_heading
    mixin._psg_spreadsheet_safe = True
