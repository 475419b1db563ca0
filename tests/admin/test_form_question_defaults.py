"""A question's default answer is checked as a reader's answer would be, and refused on its field."""

import pytest

from formpages.models import FormPage
from tests.admin.test_form_pages import form_page_data, question

pytestmark = pytest.mark.django_db

CHOICES = "Email\nPhone\nPost"


def _post(admin_client, home, field_type, default, choices=""):
    row = {**question("Reply", field_type, required="", choices=choices), "default_value": default}
    return admin_client.post(f"/admin/pages/add/formpages/formpage/{home.id}/", form_page_data([row]))


REFUSED = [
    ("number", "abc", "", "“abc” is not a number: give one such as 10 or 2.5, or leave this blank."),
    (
        "dropdown",
        "Fax",
        CHOICES,
        "“Fax” is not one of the choices: copy one exactly as it is written there, or leave this blank.",
    ),
    (
        "radio",
        "email",
        CHOICES,
        "“email” is not one of the choices: copy one exactly as it is written there, or leave this blank.",
    ),
    (
        "checkboxes",
        "Email\nFax",
        CHOICES,
        "“Fax” is not one of the choices: copy one exactly as it is written there, or leave this blank.",
    ),
    (
        "dropdown",
        "Email\nPhone",
        CHOICES,
        "Give one answer, on one line (only checkboxes take one ticked choice per line).",
    ),
    (
        "date",
        "10/12/2026",
        "",
        "“10/12/2026” is not a date written as the form fills it in, YYYY-MM-DD: e.g. 2026-12-10 for "
        "10 December 2026.",
    ),
    ("date", "2026-02-31", "", "There is no 31 February 2026: February 2026 has 28 days."),
    (
        "email",
        "office at psg",
        "",
        "“office at psg” is not an email address: give one such as name@example.org, or leave this blank.",
    ),
    (
        "url",
        "not a web address",
        "",
        "“not a web address” is not a web address: give one such as https://www.example.org/, or leave "
        "this blank.",
    ),
    ("checkbox", "maybe", "", "Write true to have the box ticked at first, or leave this blank."),
]


@pytest.mark.parametrize(("field_type", "default", "choices", "message"), REFUSED)
def test_a_default_the_question_would_refuse_is_refused_on_its_field(
    site, admin_client, field_type, default, choices, message
):
    response = _post(admin_client, site[0], field_type, default, choices)
    assert response.status_code == 200
    formset = response.context["form"].formsets["form_fields"]
    assert formset.forms[0].errors == {"default_value": [message]}
    assert not FormPage.objects.exists()


ACCEPTED = [
    ("number", "2.5", ""),
    ("dropdown", "Phone", CHOICES),
    ("radio", " Post ", CHOICES),
    ("checkboxes", "Email\nPost", CHOICES),
    ("date", "2028-02-29", ""),
    ("email", "office@psg.example", ""),
    ("url", "https://www.perusupportgroup.org.uk/", ""),
    ("checkbox", "true", ""),
    ("singleline", "Lima", ""),
    ("multiline", "First line\nSecond line", ""),
    ("number", "", ""),
]


@pytest.mark.parametrize(("field_type", "default", "choices"), ACCEPTED)
def test_a_default_the_question_would_accept_is_saved(site, admin_client, field_type, default, choices):
    response = _post(admin_client, site[0], field_type, default, choices)
    assert response.status_code == 302, response.context["form"].formsets["form_fields"].errors
    assert FormPage.objects.get().form_fields.get().default_value == default.strip()
