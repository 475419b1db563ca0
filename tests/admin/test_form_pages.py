"""Editors build forms in the admin, and read what readers sent under Forms (with a CSV export)."""

import json

import pytest
from wagtail.contrib.forms.models import FormSubmission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from formpages.models import FormPage
from tests.api.forms.conftest import VALID, submit
from tests.factories import FormPageFactory, JoinFormFieldFactory, JoinPageFactory, MembershipOptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.FORMS_MIN_FILL_SECONDS = 0


def form_page_data(questions, **overrides):
    data = {
        "title": "Newsletter sign-up",
        "slug": "newsletter",
        "intro": rich_text("<p>News by email.</p>"),
        "form_fields": inline_formset(questions),
        "submit_label": "Sign up",
        "confirmation_message": "Thank you for signing up.",
        "redirect_path": "",
        "email_confirmation": "on",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def question(label, field_type, required="on", choices="", help_text=""):
    return {
        "label": label,
        "field_type": field_type,
        "required": required,
        "choices": choices,
        "help_text": help_text,
        "default_value": "",
        "clean_name": "",
    }


def test_an_editor_builds_a_newsletter_form_that_the_api_serves(site, admin_client, client):
    home = site[0]
    response = admin_client.post(
        f"/admin/pages/add/formpages/formpage/{home.id}/",
        form_page_data(
            [
                question("Email address", "email", help_text="We never share it."),
                question("Topics", "checkboxes", required="", choices="Mining\nHuman rights"),
            ]
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = FormPage.objects.get(slug="newsletter")
    assert page.live
    query = """{ page(path: "/newsletter/") { ... on FormPage {
      form { fields { name type required choices helpText } submitLabel } } } }"""
    answer = client.post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json"
    ).json()
    assert answer["data"]["page"]["form"] == {
        "fields": [
            {
                "name": "email_address",
                "type": "EMAIL",
                "required": True,
                "choices": [],
                "helpText": "We never share it.",
            },
            {
                "name": "topics",
                "type": "CHECKBOXES",
                "required": False,
                "choices": ["Mining", "Human rights"],
                "helpText": None,
            },
        ],
        "submitLabel": "Sign up",
    }


def test_a_choice_question_needs_its_choices_on_its_row(site, admin_client):
    response = admin_client.post(
        f"/admin/pages/add/formpages/formpage/{site[0].id}/",
        form_page_data([question("Topics", "dropdown")]),
    )
    assert response.status_code == 200
    formset = response.context["form"].formsets["form_fields"]
    assert formset.forms[0].errors == {"choices": ["Give at least one choice, one per line."]}
    assert not FormPage.objects.exists()


def test_the_redirect_path_must_be_a_path_on_the_site(site, admin_client):
    response = admin_client.post(
        f"/admin/pages/add/formpages/formpage/{site[0].id}/",
        form_page_data([question("Email", "email")], redirect_path="https://elsewhere.example/"),
    )
    assert response.status_code == 200
    assert "Give a path on the site starting with /" in str(response.context["form"].errors["redirect_path"])


def test_two_questions_with_one_label_are_refused(site, admin_client):
    response = admin_client.post(
        f"/admin/pages/add/formpages/formpage/{site[0].id}/",
        form_page_data([question("Email", "email"), question("Email", "singleline")]),
    )
    assert response.status_code == 200
    assert not FormPage.objects.exists()


@pytest.fixture
def join_page(site):
    page = JoinPageFactory(parent=site[0], slug="join", confirmation_message="Welcome aboard.")
    MembershipOptionFactory(page=page, name="Individual", amount="25.00", period="year")
    JoinFormFieldFactory(page=page, label="Full name")
    JoinFormFieldFactory(page=page, label="Email", field_type="email")
    JoinFormFieldFactory(
        page=page, label="Interests", field_type="checkboxes", required=False, choices="Mining\nHealth"
    )
    JoinFormFieldFactory(page=page, label="I agree to be contacted", field_type="checkbox")
    return page


def test_the_join_page_edit_view_has_its_application_form_tab(join_page, admin_client):
    response = admin_client.get(f"/admin/pages/{join_page.id}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="tab-label-application_form"' in content
    assert "Form questions" in content


def test_what_readers_send_is_listed_under_forms_and_exported(join_page, admin_client, client):
    FormPageFactory(parent=join_page.get_parent())
    assert submit(client, VALID).json()["data"]["submitForm"]["ok"] is True

    forms = admin_client.get("/admin/forms/")
    assert forms.status_code == 200
    assert "Why join the PSG?" in forms.content.decode()
    assert "Newsletter" in forms.content.decode()

    listing = admin_client.get(f"/admin/forms/submissions/{join_page.id}/")
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Ana Quispe" in content
    assert "Which membership would you like?" in content  # the derived question has its column

    export = admin_client.get(f"/admin/forms/submissions/{join_page.id}/?export=csv")
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "Ana Quispe" in csv
    assert "ana@example.org" in csv
    assert FormSubmission.objects.count() == 1


def test_a_form_page_previews_on_the_frontend_like_every_page(site, admin_client, settings):
    settings.FRONTEND_URL = "https://frontend.test"
    page = FormPageFactory(parent=site[0])
    url = f"/admin/pages/{page.id}/edit/preview/"
    response = admin_client.post(url, form_page_data([question("Email", "email")]))
    assert response.json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert 'src="https://frontend.test/preview/?content_type=formpages.formpage&amp;token=' in html
