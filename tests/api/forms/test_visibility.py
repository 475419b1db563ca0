"""A form is sent only to a public page that has one; what readers send never shows anywhere public."""

import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, PageViewRestriction

import webhooks.delivery
from api.forms import guards
from home.models import JoinFormField
from tests.api.forms.conftest import FORM_QUERY, VALID, submit
from tests.factories import (
    FormPageFactory,
    FormPageFieldFactory,
    HomePageFactory,
    JoinFormFieldFactory,
    JoinPageFactory,
    StandardPageFactory,
)

NOT_FOUND = "There is no form at '{}'."


def not_found(client, path, page_id):
    response = submit(client, [("email", "a@example.org")], path=path, token=guards.form_token(page_id))
    payload = response.json()
    assert response.status_code == 404, payload
    assert payload["errors"][0]["extensions"]["code"] == "FORM_NOT_FOUND"
    assert payload["errors"][0]["message"] == NOT_FOUND.format(path)
    assert payload.get("data") is None or payload["data"] is None
    return payload


def test_no_page_at_the_path(client, join_page):
    not_found(client, "/no-such-page/", join_page.pk)


def test_an_unpublished_form_page(client, join_page):
    join_page.unpublish()
    not_found(client, "/join/", join_page.pk)
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS]
)
def test_a_private_form_page(client, join_page, kind):
    restriction = PageViewRestriction.objects.create(page=join_page, restriction_type=kind, password="s3cret")
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Trustees"))
    not_found(client, "/join/", join_page.pk)
    assert not FormSubmission.objects.exists()


def test_a_page_type_without_forms(client, join_page):
    page = StandardPageFactory(parent=join_page.get_parent(), slug="about")
    not_found(client, "/about/", page.pk)


def test_a_form_page_without_questions(client, join_page):
    page = FormPageFactory(parent=join_page.get_parent(), slug="empty-form")
    not_found(client, "/empty-form/", page.pk)
    data = fetch_form_of(client, "/empty-form/")
    assert data == {"form": None}


def fetch_form_of(client, path):
    response = client.post(
        "/graphql/",
        data={"query": FORM_QUERY, "variables": {"path": path}},
        content_type="application/json",
    )
    return response.json()["data"]["page"]


MARKER = "zq-marker-7Hf3-private"

PUBLIC_QUERIES = [
    '{ page(path: "/join/") { title ... on JoinPage { intro reasons { text } membershipOptions { name } '
    "form { fields { name label choices helpText defaultValues } confirmationMessage redirectPath } } } }",
    '{ page(path: "/newsletter/") { ... on FormPage { intro form { fields { name label } } } } }',
    f'{{ search(query: "{MARKER}") {{ items {{ title }} }} }}',
    "{ sitemap { path } }",
]


def test_what_readers_send_never_shows_in_public_answers_webhooks_or_logs(
    client, join_page, settings, monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    newsletter = FormPageFactory(parent=join_page.get_parent())
    FormPageFieldFactory(page=newsletter, label="Email", field_type="email")
    FormPageFieldFactory(page=newsletter, label="Name", field_type="singleline", required=False)
    settings.FORMS_NOTIFY_EMAIL = "office@psg.example"
    dispatched = []
    monkeypatch.setattr(webhooks.delivery, "dispatch", dispatched.append)
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        marked = [(n, f"{MARKER}@example.org" if n == "email" else v) for n, v in VALID if n != "full_name"]
        assert submit(client, [*marked, ("full_name", MARKER)]).json()["data"]["submitForm"]["ok"]
        newsletter_answer = submit(
            client, [("email", "r@example.org"), ("name", MARKER)], path="/newsletter/"
        )
        assert newsletter_answer.json()["data"]["submitForm"]["ok"]
        # Mistakes and bots too: nothing of what they sent is logged either.
        submit(client, [("email", MARKER)])
        submit(client, [*VALID, ("website", MARKER)])
    assert FormSubmission.objects.count() == 2
    assert any(MARKER in message.body for message in mailoutbox)  # it did go where it should
    # Editors then publish the pages: their webhooks carry the pages, never what was sent.
    with django_capture_on_commit_callbacks(execute=True):
        join_page.save_revision().publish()
        newsletter.save_revision().publish()
    assert [payload["type"] for payload in dispatched] == ["page.published", "page.published"]

    for query in PUBLIC_QUERIES:
        response = client.post("/graphql/", data={"query": query}, content_type="application/json")
        assert response.status_code == 200, response.json()
        assert MARKER not in response.content.decode()
    for url in [
        "/feeds/news.rss",
        "/feeds/news.atom",
        "/feeds/news.json",
        "/feeds/events.ics",
        "/embed/news/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in b"".join(getattr(response, "streaming_content", [response.content])).decode()
    assert MARKER not in str(dispatched)
    assert MARKER not in caplog.text
    for record in caplog.records:
        assert MARKER not in str(record.args)


def form_of(client, path):
    """The `page { form }` answer at `path`: what a missing path answers is `{"page": None}`."""
    response = client.post(
        "/graphql/",
        data={"query": FORM_QUERY, "variables": {"path": path}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def test_a_page_scheduled_to_go_live_later(client, join_page):
    join_page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    join_page.save()
    assert form_of(client, "/join/") == form_of(client, "/no-such-page/") == {"page": None}
    not_found(client, "/join/", join_page.pk)
    assert not FormSubmission.objects.exists()


def test_a_page_past_its_expiry_not_yet_unpublished(client, join_page):
    join_page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    join_page.save()
    assert form_of(client, "/join/") == {"page": None}
    not_found(client, "/join/", join_page.pk)
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS]
)
def test_a_form_page_under_a_private_section(client, join_page, kind):
    section = StandardPageFactory(parent=join_page.get_parent(), slug="members")
    page = JoinPageFactory(parent=section, slug="apply")
    JoinFormFieldFactory(page=page, label="Email", field_type="email")
    restriction = PageViewRestriction.objects.create(page=section, restriction_type=kind, password="s3cret")
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Trustees"))
    assert form_of(client, "/members/apply/") == {"page": None}
    not_found(client, "/members/apply/", page.pk)
    assert not FormSubmission.objects.exists()


def test_a_form_page_outside_every_site(client, join_page):
    other_root = HomePageFactory(parent=Page.get_first_root_node(), slug="not-a-site")
    page = JoinPageFactory(parent=other_root, slug="join")
    JoinFormFieldFactory(page=page, label="Email", field_type="email")
    # Its url_path is /not-a-site/join/: neither its own path nor the site's /join/ reaches it.
    not_found(client, "/not-a-site/join/", page.pk)
    response = submit(client, VALID, path="/join/", token=guards.form_token(page.pk))
    assert response.status_code == 400  # the site's own /join/ page refuses another page's token
    assert not FormSubmission.objects.exists()


def test_an_alias_of_a_form_page_takes_no_submissions(client, join_page):
    join_page.create_alias(parent=join_page.get_parent(), update_slug="join-too")
    assert form_of(client, "/join-too/") == {"page": {"form": None}}
    alias = Page.objects.get(slug="join-too")
    not_found(client, "/join-too/", alias.pk)
    assert not FormSubmission.objects.exists()


def test_a_preview_token_never_opens_a_draft_to_submissions(client, join_page):
    draft = JoinPageFactory(parent=join_page.get_parent(), slug="draft-form", live=False)
    JoinFormFieldFactory(page=draft, label="Email", field_type="email")
    preview = draft.create_page_preview()
    response = client.post(
        "/graphql/",
        data={
            "query": "query P($t: String!) { preview(token: $t) { ... on JoinPage { form { token } } } }",
            "variables": {"t": preview.token},
        },
        content_type="application/json",
    )
    form = response.json()["data"]["preview"]["form"]
    not_found(client, "/draft-form/", draft.pk)
    answer = submit(client, [("email", "a@example.org")], path="/draft-form/", token=form["token"])
    assert answer.status_code == 404
    assert not FormSubmission.objects.exists()


def test_a_question_only_in_a_draft_takes_no_answer(client, join_page):
    draft = type(join_page).objects.get(pk=join_page.pk)
    draft.form_fields.add(JoinFormField(label="Draft only", field_type="singleline", required=False))
    draft.save_revision()  # a draft: the live page keeps its questions
    assert not JoinFormField.objects.filter(page_id=join_page.pk, label="Draft only").exists()
    response = submit(client, [*VALID, ("draft_only", "x")])
    result = response.json()["data"]["submitForm"]
    assert result["ok"] is False
    assert [e["field"] for e in result["errors"]] == ["draft_only"]
    assert not FormSubmission.objects.exists()
