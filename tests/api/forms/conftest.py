import json

import pytest
from wagtail.models import Site

from cms.models import SiteSettings
from tests.factories import (
    FormPageFactory,
    FormPageFieldFactory,
    JoinFormFieldFactory,
    JoinPageFactory,
    MembershipOptionFactory,
    StandardPageFactory,
    make_site,
)

FORM_QUERY = """
query Form($path: String!) {
  page(path: $path) {
    ... on JoinPage { form { ...F } }
    ... on FormPage { form { ...F } }
  }
}
fragment F on Form {
  fields { name label type required choices helpText maxLength defaultValues }
  submitLabel confirmationMessage redirectPath honeypot token captcha { provider siteKey }
}
"""

SUBMIT = """
mutation Submit($path: String!, $values: [FormValueInput!]!, $token: String, $captcha: String) {
  submitForm(path: $path, values: $values, token: $token, captcha: $captcha) {
    ok errors { field messages } message redirectPath
  }
}
"""


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    """Tests answer at once; the fill-time tests set the minimum back."""
    settings.FORMS_MIN_FILL_SECONDS = 0


@pytest.fixture
def join_page(db):
    home, _news, _events = make_site()
    page = JoinPageFactory(parent=home, slug="join", confirmation_message="Welcome aboard.")
    MembershipOptionFactory(page=page, name="Individual", amount="25.00", period="year")
    MembershipOptionFactory(page=page, name="Concession", amount="10.00", period="year")
    JoinFormFieldFactory(page=page, label="Full name", field_type="singleline", help_text="As on your card.")
    JoinFormFieldFactory(page=page, label="Email", field_type="email")
    JoinFormFieldFactory(page=page, label="Age", field_type="number", required=False)
    JoinFormFieldFactory(
        page=page, label="Interests", field_type="checkboxes", required=False, choices="Mining\nHealth"
    )
    JoinFormFieldFactory(page=page, label="I agree to be contacted", field_type="checkbox")
    return page


@pytest.fixture
def contact(join_page):
    """PSG's contact address in the site's settings: where notifications go."""
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"contact_email": "office@psg.example"}
    )


def fetch_form(client, path="/join/"):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": FORM_QUERY, "variables": {"path": path}}),
        content_type="application/json",
    )
    payload = response.json()
    assert response.status_code == 200, payload
    return response, payload["data"]["page"]["form"]


def submit(client, values, *, path="/join/", token=None, captcha=None, **headers):
    """POST the mutation as a frontend does; `values` a list of (name, value)."""
    if token is None:
        token = fetch_form(client, path)[1]["token"]
    variables = {
        "path": path,
        "values": [{"name": name, "value": value} for name, value in values],
        "token": token,
        "captcha": captcha,
    }
    return client.post(
        "/graphql/",
        data=json.dumps({"query": SUBMIT, "variables": variables}),
        content_type="application/json",
        **headers,
    )


VALID = [
    ("membership", "Individual: £25.00 per year"),
    ("full_name", "Ana Quispe"),
    ("email", "ana@example.org"),
    ("interests", "Mining"),
    ("interests", "Health"),
    ("i_agree_to_be_contacted", "true"),
]


@pytest.fixture
def contact_page(db):
    home, _news, _events = make_site()
    StandardPageFactory(parent=home, title="Thanks", slug="thanks")  # where readers are sent
    page = FormPageFactory(parent=home, title="Contact", slug="contact", redirect_path="/thanks/")
    for label, field_type, extra in [
        ("Email", "email", {}),
        ("Message", "multiline", {}),
        ("Visit date", "date", {"required": False}),
        ("Website", "url", {"required": False}),
        ("Group size", "number", {"required": False}),
        ("Topic", "dropdown", {"choices": "Press\nMembership, renewals\nOther"}),
        ("Reply by", "radio", {"choices": "Email\nPhone", "default_value": "Email"}),
        ("Consent", "checkbox", {}),
    ]:
        FormPageFieldFactory(page=page, label=label, field_type=field_type, **extra)
    return page


GOOD = [
    ("email", "reader@example.org"),
    ("message", "Hello"),
    ("visit_date", "2026-12-01"),
    ("website", "example.org"),
    ("group_size", "12"),
    ("topic", "Membership, renewals"),
    ("reply_by", "Phone"),
    ("consent", "true"),
]
