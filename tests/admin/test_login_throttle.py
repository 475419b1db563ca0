"""Sign-in forms lock out after repeated wrong passwords, per address and per username, with growing
lockouts that never tell whether a username exists."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

LIMIT = 10  # AXES_FAILURE_LIMIT's default (LOGIN_FAILURE_LIMIT)
SIGN_IN_FORMS = {"admin": "/admin/login/", "frontend": "/_util/login/"}
ATTACKER = "203.0.113.5"
PASSWORD = "pw-for-tests"


@pytest.fixture
def edna(django_user_model):
    return django_user_model.objects.create_user(username="edna", password=PASSWORD, is_staff=True)


def sign_in(form, username, password, address=ATTACKER, **headers):
    """One sign-in attempt from a fresh browser; returns (response, whether it is now signed in)."""
    client = Client()
    response = client.post(
        SIGN_IN_FORMS[form], {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return response, "_auth_user_id" in client.session


def normalised(response, username):
    """The page with what legitimately differs between two requests taken out."""
    content = response.content.decode()
    content = re.sub(r"\b[A-Za-z0-9]{64}\b", "", content)  # CSRF tokens (form field and admin config)
    return content.replace(f'value="{username}"', 'value=""')


@pytest.mark.parametrize("form", SIGN_IN_FORMS)
def test_forty_wrong_passwords_then_the_right_one_is_refused(form, edna):
    statuses = [sign_in(form, "edna", f"guess-{n}")[0].status_code for n in range(40)]
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert statuses[LIMIT - 1 :] == [429] * (40 - LIMIT + 1)
    response, signed_in = sign_in(form, "edna", PASSWORD)
    assert response.status_code == 429 and not signed_in
    assert "Too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0 and response["Cache-Control"] == "no-store"
    # Attempts made while locked out were refused before any password check and not stored.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == LIMIT


@pytest.mark.parametrize("form", SIGN_IN_FORMS)
def test_the_right_password_before_the_limit_signs_in_and_clears_those_failures(form, edna):
    for n in range(LIMIT - 1):
        assert sign_in(form, "edna", f"guess-{n}")[0].status_code == 200
    response, signed_in = sign_in(form, "edna", PASSWORD)
    assert response.status_code == 302 and signed_in
    assert not AccessAttempt.objects.filter(username="edna", ip_address=ATTACKER).exists()
    # A fresh allowance: another LIMIT - 1 mistakes still do not lock.
    for n in range(LIMIT - 1):
        assert sign_in(form, "edna", f"again-{n}")[0].status_code == 200
    assert sign_in(form, "edna", PASSWORD)[1]


def test_a_username_is_locked_whatever_address_the_guesses_come_from(edna):
    for n in range(LIMIT):
        sign_in("admin", "edna", f"guess-{n}", address=f"198.51.100.{n + 1}")
    response, signed_in = sign_in("admin", "edna", PASSWORD, address="192.0.2.200")
    assert response.status_code == 429 and not signed_in
    # Other accounts are not affected.
    other = type(edna).objects.create_user(username="morgan", password=PASSWORD, is_staff=True)
    assert sign_in("admin", other.username, PASSWORD, address="192.0.2.200")[1]


def test_an_address_is_locked_whatever_usernames_it_tries(edna):
    for n in range(LIMIT):
        sign_in("admin", f"user-{n}", "guess")
    response, signed_in = sign_in("admin", "edna", PASSWORD)
    assert response.status_code == 429 and not signed_in
    # The same account from another address is fine.
    assert sign_in("admin", "edna", PASSWORD, address="192.0.2.10")[1]


def test_the_two_sign_in_forms_share_their_counters(edna):
    for n in range(LIMIT // 2):
        sign_in("admin", "edna", f"guess-{n}")
        sign_in("frontend", "edna", f"other-{n}")
    assert sign_in("admin", "edna", PASSWORD)[0].status_code == 429
    assert sign_in("frontend", "edna", PASSWORD)[0].status_code == 429


def test_each_failure_after_a_lockout_doubles_the_next_one(edna):
    start = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(start) as clock:
        for n in range(LIMIT):
            response, _ = sign_in("admin", "edna", f"guess-{n}")
        assert response.status_code == 429 and response["Retry-After"] == "60"
        clock.tick(59)
        assert sign_in("admin", "edna", PASSWORD)[0].status_code == 429
        expected = 60
        for _ in range(4):
            clock.tick(expected + 1)
            response, _ = sign_in("admin", "edna", "one-more-guess")
            expected *= 2
            assert response.status_code == 429 and response["Retry-After"] == str(expected)
        assert expected == 960
        clock.tick(expected - 5)
        assert sign_in("admin", "edna", PASSWORD)[0].status_code == 429
        clock.tick(6)
        assert sign_in("admin", "edna", PASSWORD)[1]


def test_the_longest_lockout_is_capped_and_failures_are_forgotten_a_day_later(edna, settings):
    settings.LOGIN_LOCKOUT_MAX_SECONDS = 3600
    start = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(start) as clock:
        for n in range(LIMIT + 20):
            clock.tick(3601)
            response, _ = sign_in("admin", "edna", f"guess-{n}")
        assert response.status_code == 429 and response["Retry-After"] == "3600"
        clock.tick(86401)
        response, _ = sign_in("admin", "edna", "a fresh start")
        assert response.status_code == 200
        assert AccessAttempt.objects.get().failures_since_start == 1


@pytest.mark.parametrize(
    "command, argument", [("axes_reset_username", "edna"), ("axes_reset_ip", ATTACKER), ("axes_reset", None)]
)
def test_a_superuser_unlocks_with_a_management_command(edna, command, argument):
    for n in range(LIMIT):
        sign_in("admin", "edna", f"guess-{n}")
    assert sign_in("admin", "edna", PASSWORD)[0].status_code == 429
    call_command(command, *([argument] if argument else []))
    assert sign_in("admin", "edna", PASSWORD)[1]


@pytest.mark.parametrize("form", SIGN_IN_FORMS)
def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(form, edna):
    wrong_password, _ = sign_in(form, "edna", "not-her-password", address="192.0.2.1")
    unknown_user, _ = sign_in(form, "ghost", "not-her-password", address="192.0.2.2")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert normalised(wrong_password, "edna") == normalised(unknown_user, "ghost")


@pytest.mark.parametrize("form", SIGN_IN_FORMS)
def test_locked_out_real_and_unknown_usernames_get_the_same_answer(form, edna):
    answers = {}
    for username, address in [("edna", "192.0.2.1"), ("ghost", "192.0.2.2")]:
        for n in range(LIMIT + 3):
            sign_in(form, username, f"guess-{n}", address=address)
        answers[username], _ = sign_in(form, username, "guess", address=address)
    real, unknown = answers["edna"], answers["ghost"]
    assert real.status_code == unknown.status_code == 429
    assert real["Retry-After"] == unknown["Retry-After"]
    assert normalised(real, "edna") == normalised(unknown, "ghost")
    assert "edna" not in real.content.decode()


def test_behind_a_trusted_proxy_each_client_has_its_own_counter(edna, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(LIMIT):
        sign_in("admin", f"user-{n}", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    locked, _ = sign_in("admin", "edna", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    assert sign_in("admin", "edna", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.9")[1]


def test_a_forged_forwarded_header_does_not_move_an_untrusted_client_to_a_new_counter(edna):
    for n in range(LIMIT):
        sign_in("admin", f"user-{n}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    response, _ = sign_in("admin", "edna", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.250")
    assert response.status_code == 429


def test_an_ipv6_client_is_counted_per_64_network(edna):
    for n in range(LIMIT):
        sign_in("admin", f"user-{n}", "guess", address=f"2001:db8:1:2::{n + 1:x}")
    assert sign_in("admin", "edna", PASSWORD, address="2001:db8:1:2:ffff::1")[0].status_code == 429
    assert sign_in("admin", "edna", PASSWORD, address="2001:db8:1:3::1")[1]


@pytest.mark.parametrize(
    "body",
    [
        b"username=" + b"x" * 300 + b"&password=guess",
        b"username=nul%00byte&password=guess",
        b"username=%ED%A0%80&password=guess",  # a lone surrogate, not UTF-8
        b"username=%FF%FE&password=guess",
        b"username=edna&username=ghost&password=guess",
        b"password=guess",
    ],
    ids=["long", "nul", "surrogate", "invalid-utf8", "repeated", "missing"],
)
def test_odd_usernames_are_answered_like_any_wrong_sign_in(edna, body):
    for _ in range(3):
        client = Client()
        response = client.post(
            "/admin/login/", body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=ATTACKER
        )
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_spellings_of_one_username_share_its_counter(edna):
    # The sign-in form strips the username before checking it; failures count against what it checks.
    for n, spelling in enumerate([" edna", "edna ", "\tedna\n", "edna"] * 3):
        if n == LIMIT:
            break
        sign_in("admin", spelling, f"guess-{n}", address=f"198.51.100.{n + 1}")
    assert sign_in("admin", "edna", PASSWORD, address="192.0.2.77")[0].status_code == 429


def test_staff_signed_in_through_the_form_are_not_held_by_the_api_rate_limit(edna, settings):
    settings.RATE_LIMIT_REQUESTS = 3
    client = Client()
    response = client.post("/admin/login/", {"username": "edna", "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302
    statuses = {
        client.post(
            "/graphql/", '{"query": "{ __typename }"}', content_type="application/json", REMOTE_ADDR=ATTACKER
        ).status_code
        for _ in range(6)
    }
    assert statuses == {200}
    # An anonymous client from the same address is limited as before.
    anonymous = [
        Client()
        .post(
            "/graphql/", '{"query": "{ __typename }"}', content_type="application/json", REMOTE_ADDR=ATTACKER
        )
        .status_code
        for _ in range(4)
    ]
    assert anonymous[-1] == 429


def test_a_superuser_lifts_a_lockout_in_the_admin(edna, admin_client):
    for n in range(LIMIT):
        sign_in("admin", "edna", f"guess-{n}", address=f"198.51.100.{n + 1}")
    assert sign_in("admin", "edna", PASSWORD)[0].status_code == 429
    listing = admin_client.get("/admin/sign_in_lockouts/")
    assert listing.status_code == 200 and "198.51.100.10" in listing.content.decode()
    for attempt in AccessAttempt.objects.filter(username="edna"):
        assert admin_client.post(f"/admin/sign_in_lockouts/delete/{attempt.pk}/").status_code == 302
    assert sign_in("admin", "edna", PASSWORD)[1]


def test_only_superusers_see_the_lockouts(edna, moderator):
    sign_in("admin", "edna", "guess")
    client = Client()
    client.force_login(moderator)
    assert client.get("/admin/sign_in_lockouts/").status_code in {302, 403}
    attempt = AccessAttempt.objects.get()
    assert client.post(f"/admin/sign_in_lockouts/delete/{attempt.pk}/").status_code in {302, 403}
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert client.get("/admin/sign_in_lockouts/new/").status_code in {302, 403}
