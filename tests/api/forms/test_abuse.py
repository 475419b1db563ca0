"""Bots get nothing for their trouble: a honeypot, a minimum fill time, a tighter rate limit, size
limits and an optional CAPTCHA, each over HTTP as a frontend (or a bot) sends the mutation."""

import datetime

import pytest
from django.core import signing
from wagtail.contrib.forms.models import FormSubmission

from api.forms import guards
from tests.api.forms.conftest import VALID, fetch_form, submit
from tests.factories import make_api_key


def result(response):
    payload = response.json()
    assert response.status_code == 200, payload
    return payload["data"]["submitForm"]


def error_codes(response):
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def test_a_filled_in_honeypot_is_answered_ok_and_dropped(client, join_page):
    response = submit(client, [*VALID, ("website", "http://spam.example")])
    assert result(response) == {"ok": True, "errors": [], "message": "Welcome aboard.", "redirectPath": None}
    assert not FormSubmission.objects.exists()


def test_an_empty_honeypot_is_what_people_send(client, join_page):
    assert result(submit(client, [*VALID, ("website", "")]))["ok"] is True
    assert FormSubmission.objects.count() == 1


def test_answers_sent_too_soon_are_answered_ok_and_dropped(client, join_page, settings):
    settings.FORMS_MIN_FILL_SECONDS = 3
    assert result(submit(client, VALID))["ok"] is True
    assert not FormSubmission.objects.exists()


def test_answers_sent_after_the_fill_time_are_kept(client, join_page, settings, monkeypatch):
    settings.FORMS_MIN_FILL_SECONDS = 3
    token = fetch_form(client)[1]["token"]
    later = guards.timezone.now() + datetime.timedelta(seconds=4)
    monkeypatch.setattr(guards.timezone, "now", lambda: later)
    assert result(submit(client, VALID, token=token))["ok"] is True
    assert FormSubmission.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", signing.TimestampSigner(salt="other").sign("1")],
    ids=["missing", "not-a-token", "signed-for-another-purpose"],
)
def test_a_missing_or_forged_token_is_a_bad_request(client, join_page, token):
    response = submit(client, VALID, token=token)
    assert response.status_code == 400
    assert error_codes(response) == ["BAD_USER_INPUT"]
    assert not FormSubmission.objects.exists()


def test_another_pages_token_does_not_pass(client, join_page):
    forged = guards.form_token(join_page.pk + 1000)
    response = submit(client, VALID, token=forged)
    assert response.status_code == 400
    assert not FormSubmission.objects.exists()


def test_an_expired_token_asks_the_reader_to_reload(client, join_page, settings, monkeypatch):
    token = fetch_form(client)[1]["token"]
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.FORMS_TOKEN_MAX_AGE + 5
    )
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    answer = result(submit(client, VALID, token=token))
    assert answer["ok"] is False
    assert answer["errors"] == [
        {"field": "__all__", "messages": ["This form has expired: reload the page and send it again."]}
    ]


def test_submissions_have_a_tighter_rate_limit_than_reads(client, join_page, settings):
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 2
    token = fetch_form(client)[1]["token"]
    for _ in range(2):
        assert result(submit(client, VALID, token=token))["ok"] is True
    refused = submit(client, VALID, token=token)
    assert refused.status_code == 429
    assert error_codes(refused) == ["RATE_LIMITED"]
    # The wait is in the header generic retry code reads, as on the API's own 429, and in the error.
    retry_after = refused.json()["errors"][0]["extensions"]["retryAfter"]
    assert 0 < retry_after <= settings.RATE_LIMIT_WINDOW
    assert refused["Retry-After"] == str(retry_after)
    assert FormSubmission.objects.count() == 2
    # Reads are counted apart: the page is still served.
    assert fetch_form(client)[1]["fields"]
    # Another address has its own count.
    assert result(submit(client, VALID, token=token, REMOTE_ADDR="192.0.2.9"))["ok"] is True


def test_a_frontend_server_with_a_key_is_counted_on_the_keys_own_limit(client, join_page, settings):
    """A server-rendered frontend forwards all its readers' answers from one address."""
    settings.FORMS_RATE_LIMIT_SUBMISSIONS = 2
    _, unlimited = make_api_key("Public site")
    token = fetch_form(client)[1]["token"]
    for _ in range(4):
        assert result(submit(client, VALID, token=token, HTTP_AUTHORIZATION=f"Bearer {unlimited}"))["ok"]
    assert FormSubmission.objects.count() == 4
    # The key's own limit still holds.
    _, limited = make_api_key("Staging", rate_limit=3)
    statuses = [
        submit(client, VALID, token=token, HTTP_AUTHORIZATION=f"Bearer {limited}").status_code
        for _ in range(5)
    ]
    assert statuses == [200] * 3 + [429] * 2
    # Without a key, the same address keeps its tighter count.
    assert result(submit(client, VALID, token=token))["ok"] is True
    assert result(submit(client, VALID, token=token))["ok"] is True
    assert submit(client, VALID, token=token).status_code == 429


def test_too_many_values_or_too_long_a_value_is_a_bad_request(client, join_page, settings):
    settings.FORMS_MAX_VALUES = 10
    many = submit(client, [("interests", "Mining")] * 11)
    assert many.status_code == 400
    assert "at most 10 values" in many.json()["errors"][0]["message"]
    long = submit(client, [*VALID[:1], ("full_name", "x" * (settings.FORMS_MAX_VALUE_CHARS + 1))])
    assert long.status_code == 400
    assert not FormSubmission.objects.exists()


def test_an_answer_longer_than_its_field_allows_is_a_field_error(client, join_page):
    values = [(name, "x" * 256) if name == "full_name" else (name, value) for name, value in VALID]
    answer = result(submit(client, values))
    assert answer["errors"] == [
        {"field": "full_name", "messages": ["Ensure this value has at most 255 characters (it has 256)."]}
    ]


def test_unknown_names_and_repeated_answers_are_field_errors(client, join_page):
    answer = result(submit(client, [*VALID, ("favourite_colour", "blue"), ("email", "b@example.org")]))
    assert answer["ok"] is False
    errors = {e["field"]: e["messages"] for e in answer["errors"]}
    assert errors == {
        "favourite_colour": ["This form has no question of this name."],
        "email": ["Send one answer to this question."],
    }


@pytest.fixture
def turnstile(settings, monkeypatch):
    settings.FORMS_CAPTCHA_PROVIDER = "turnstile"
    settings.FORMS_CAPTCHA_SITE_KEY = "1x00000000000000000000AA"
    settings.FORMS_CAPTCHA_SECRET = "secret-for-tests"  # noqa: S105
    calls = []

    def siteverify(url, fields):
        calls.append((url, fields))
        return {"success": fields["response"] == "human"}

    monkeypatch.setattr(guards, "siteverify", siteverify)
    return calls


def test_the_form_names_its_captcha(client, join_page, turnstile):
    assert fetch_form(client)[1]["captcha"] == {
        "provider": "turnstile",
        "siteKey": "1x00000000000000000000AA",
    }


def test_a_captcha_the_provider_vouches_for_passes(client, join_page, turnstile):
    assert result(submit(client, VALID, captcha="human", REMOTE_ADDR="198.51.100.4"))["ok"] is True
    assert FormSubmission.objects.count() == 1
    assert turnstile == [
        (
            "https://challenges.cloudflare.com/turnstile/v0/siteverify",
            {"secret": "secret-for-tests", "response": "human", "remoteip": "198.51.100.4"},
        )
    ]


@pytest.mark.parametrize("captcha", [None, "robot"])
def test_a_missing_or_failed_captcha_is_a_field_error(client, join_page, turnstile, captcha):
    answer = result(submit(client, VALID, captcha=captcha))
    assert answer["ok"] is False
    assert answer["errors"] == [
        {"field": "captcha", "messages": ["Complete the CAPTCHA check, then send the form again."]}
    ]
    assert not FormSubmission.objects.exists()


def test_the_captcha_is_checked_only_once_the_answers_are_valid(client, join_page, turnstile):
    # A provider's token works once: spending it on answers that must be sent again would fail them.
    answer = result(submit(client, [("email", "nope")], captcha="human"))
    assert answer["ok"] is False
    assert turnstile == []


def test_an_unreachable_provider_refuses_the_submission(client, join_page, settings, monkeypatch):
    settings.FORMS_CAPTCHA_PROVIDER = "hcaptcha"

    def unreachable(url, fields):
        raise OSError("connection refused")

    monkeypatch.setattr(guards, "siteverify", unreachable)
    answer = result(submit(client, VALID, captcha="human"))
    assert answer["errors"][0]["field"] == "captcha"
    assert not FormSubmission.objects.exists()
