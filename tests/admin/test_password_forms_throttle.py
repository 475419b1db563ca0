"""Every other form that checks a password is throttled like the sign-in forms: the current password
on the admin account page, and password-reset requests."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LIMIT = 10
ATTACKER = "203.0.113.5"


def guess(url, password, address=ATTACKER):
    return Client().post(url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "form", ["/_util/authenticate_with_password/1/1/", "/documents/authenticate_with_password/1/"]
)
def test_restriction_password_forms_cannot_be_guessed_at(form):
    # The CMS host shows no restricted page or document, so there is no password form to guess at:
    # every guess is a 404, however many.
    assert [guess(form, f"guess-{n}").status_code for n in range(LIMIT + 2)] == [404] * (LIMIT + 2)


def _change_password(client, old, new="a-New-passw0rd-for-edna"):
    return client.post(
        "/admin/account/",
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": new,
            "name_email-first_name": "Edna",
            "name_email-last_name": "Quispe",
            "name_email-email": "edna@example.org",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
        REMOTE_ADDR=ATTACKER,
    )


@pytest.fixture
def edna_client(django_user_model, editor):
    client = Client()
    client.force_login(editor)
    return client


def test_guessing_the_current_password_on_the_account_page_locks_the_account(edna_client, editor):
    statuses = [_change_password(edna_client, f"guess-{n}").status_code for n in range(LIMIT + 2)]
    assert statuses == [200] * (LIMIT - 1) + [429] * 3
    assert _change_password(edna_client, "pw-for-tests").status_code == 429
    editor.refresh_from_db()
    assert editor.check_password("pw-for-tests")
    # Signing in to the same account from elsewhere is locked too.
    response = Client().post(
        "/admin/login/", {"username": editor.username, "password": "pw-for-tests"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429


def test_the_right_current_password_still_changes_it(edna_client, editor):
    for n in range(3):
        response = _change_password(edna_client, f"guess-{n}")
        assert (
            response.status_code == 200
            and "Your old password was entered incorrectly" in response.content.decode()
        )
    assert _change_password(edna_client, "pw-for-tests").status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("a-New-passw0rd-for-edna")


def _request_reset(email, address=ATTACKER):
    return Client().post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_address_and_per_email(editor, mailoutbox):
    editor.email = "edna@example.org"
    editor.save()
    statuses = [_request_reset("edna@example.org").status_code for _ in range(LIMIT + 2)]
    assert statuses == [302] * (LIMIT - 1) + [429] * 3
    assert len(mailoutbox) == LIMIT - 1
    # The same inbox from elsewhere, and in other spellings, is limited too.
    assert _request_reset(" EDNA@example.org", address="192.0.2.30").status_code == 429
    assert len(mailoutbox) == LIMIT - 1


def test_a_reset_request_for_an_unknown_address_gets_the_same_answer(editor, mailoutbox):
    editor.email = "edna@example.org"
    editor.save()
    known = _request_reset("edna@example.org", address="192.0.2.31")
    unknown = _request_reset("nobody@example.org", address="192.0.2.32")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1
