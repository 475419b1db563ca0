"""Every other form that checks a password is throttled like the sign-in forms: the password forms of
restricted pages and documents, and the current password on the admin account page."""

import pytest
from django.test import Client
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

LIMIT = 10
ATTACKER = "203.0.113.5"


@pytest.fixture
def restricted_page(site):
    page = NewsPageFactory(parent=site[1], title="Board minutes")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="secret"
    )
    return f"/_util/authenticate_with_password/{restriction.id}/{page.id}/"


@pytest.fixture
def restricted_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="secret"
    )
    return f"/documents/authenticate_with_password/{restriction.id}/"


def guess(url, password, address=ATTACKER):
    return Client().post(url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)


@pytest.fixture(params=["page", "document"])
def password_form(request):
    return request.getfixturevalue(
        {"page": "restricted_page", "document": "restricted_collection"}[request.param]
    )


def test_right_password_opens_the_restriction(password_form):
    assert guess(password_form, "wrong").status_code == 200
    assert guess(password_form, "secret").status_code == 302


def test_guessing_a_restriction_password_locks_the_address(password_form):
    statuses = [guess(password_form, f"guess-{n}").status_code for n in range(LIMIT + 5)]
    assert statuses == [200] * (LIMIT - 1) + [429] * 6
    response = guess(password_form, "secret")
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()


def test_a_restriction_is_locked_whatever_address_the_guesses_come_from(password_form):
    for n in range(LIMIT):
        guess(password_form, f"guess-{n}", address=f"198.51.100.{n + 1}")
    assert guess(password_form, "secret", address="192.0.2.50").status_code == 429


def test_password_guesses_and_sign_in_failures_share_the_address_counter(password_form, django_user_model):
    django_user_model.objects.create_user(username="edna", password="pw-for-tests", is_staff=True)
    for n in range(LIMIT):
        guess(password_form, f"guess-{n}")
    response = Client().post(
        "/admin/login/", {"username": "edna", "password": "pw-for-tests"}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429


def test_a_page_viewed_after_the_right_password_is_unaffected(restricted_page, site):
    # GET shows the form; only POSTs are counted.
    for _ in range(LIMIT + 2):
        assert Client().get(restricted_page, REMOTE_ADDR=ATTACKER).status_code == 200
    assert guess(restricted_page, "secret").status_code == 302


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
