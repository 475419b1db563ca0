"""What cms/internals/wagtail_exports.py relies on in Wagtail's SpreadsheetExportMixin still holds:
every CSV row and heading is prepared by the two methods it wraps, and it is installed."""

import csv
import inspect

import pytest
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms.internals.wagtail_exports import spreadsheet_safe


def test_the_mixin_prepares_csv_cells_and_headings_through_the_wrapped_methods():
    assert getattr(SpreadsheetExportMixin, "_psg_spreadsheet_safe", False) is True
    assert list(inspect.signature(SpreadsheetExportMixin.preprocess_field_value).parameters) == [
        "self",
        "field",
        "value",
        "export_format",
    ]
    assert list(inspect.signature(SpreadsheetExportMixin.get_heading).parameters) == [
        "self",
        "queryset",
        "field",
    ]
    assert SpreadsheetExportMixin.FORMAT_CSV == "csv"

    class Export(SpreadsheetExportMixin):
        list_export = ["title"]
        export_headings = {"title": "=Heading"}

    lines = []

    class Lines:
        def write(self, value):
            lines.append(value)
            return value

    view = Export()
    writer = csv.DictWriter(Lines(), fieldnames=["title"])
    view.write_csv_row(writer, {"title": "=1+1"})
    assert lines == ["'=1+1\r\n"]
    assert view.get_heading(None, "title") == "'=Heading"
    assert view.preprocess_field_value("title", "=1+1", SpreadsheetExportMixin.FORMAT_XLSX) == "=1+1"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", " =", "\u00a0@"])
def test_a_cell_starting_like_a_formula_is_text(start):
    assert spreadsheet_safe(start + "SUM(A1)") == "'" + start + "SUM(A1)"


@pytest.mark.parametrize("value", ["-5", " -5", "+3.5", "1E+2", "Ana", "a=b", "", None, 5])
def test_numbers_and_other_values_are_left_alone(value):
    assert spreadsheet_safe(value) == value
