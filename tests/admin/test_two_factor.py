"""Two-factor sign-in (ADMIN_2FA=optional|required): a code from the user's authenticator app after
the password, generated here from the device's key as the app would."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def _mode(settings, mode):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE]
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE.insert(auth + 1, settings.TWO_FACTOR_MIDDLEWARE[mode])
    settings.WAGTAIL_2FA_REQUIRED = True
    settings.ADMIN_2FA = mode


@pytest.fixture
def optional(settings):
    _mode(settings, "optional")


@pytest.fixture
def required(settings):
    _mode(settings, "required")


@pytest.fixture
def edna(django_user_model, editor):
    return editor


def code(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: that many 30-second steps away)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def device(edna):
    return TOTPDevice.objects.create(user=edna, name="Phone", confirmed=True)


def test_required_a_device_holder_enters_a_code_after_the_password(required, edna, device):
    client = signed_in_client(edna)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/auth")
    assert "Enter your two-factor authentication code" in client.get(response["Location"]).content.decode()

    wrong = client.post("/admin/2fa/auth", {"otp_token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and "Invalid code" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays the next try after a wrong code
    right = client.post("/admin/2fa/auth", {"otp_token": code(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_required_without_a_device_the_user_must_set_one_up(required, edna):
    client = signed_in_client(edna)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/devices/new")

    setup = client.get("/admin/2fa/devices/new")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=edna, confirmed=False)
    assert re.search(r"/admin/2fa/devices/qr-code", setup.content.decode())
    # Adding a device asks for the current password too (through authenticate(), so it is throttled).
    added = client.post(
        "/admin/2fa/devices/new", {"name": "Phone", "otp_token": code(device), "password": PASSWORD}
    )
    assert added.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/pages/").status_code == 200


def test_optional_users_without_a_device_sign_in_with_the_password_alone(optional, edna):
    client = signed_in_client(edna)
    assert client.get("/admin/").status_code == 200


def test_optional_users_with_a_device_must_use_it(optional, edna, device):
    client = signed_in_client(edna)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/auth")
    right = client.post("/admin/2fa/auth", {"otp_token": code(device), "next": "/admin/"})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_is_not_accepted_twice(required, edna, device):
    first = signed_in_client(edna)
    token = code(device)
    assert first.post("/admin/2fa/auth", {"otp_token": token, "next": "/admin/"}).status_code == 302
    second = signed_in_client(edna)
    replay = second.post("/admin/2fa/auth", {"otp_token": token, "next": "/admin/"})
    assert replay.status_code == 200 and "Invalid code" in replay.content.decode()


def test_public_answers_stay_cacheable_with_two_factor_on(required, client):
    response = client.post("/graphql/", '{"query": "{ __typename }"}', content_type="application/json")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")


def test_the_password_asked_when_adding_a_device_is_throttled(required, edna):
    client = signed_in_client(edna)
    assert client.get("/admin/2fa/devices/new").status_code == 200
    device = TOTPDevice.objects.get(user=edna, confirmed=False)
    statuses = [
        client.post(
            "/admin/2fa/devices/new", {"name": "Phone", "otp_token": code(device), "password": f"guess-{n}"}
        ).status_code
        for n in range(10)
    ]
    assert statuses == [200] * 9 + [429]


@pytest.mark.parametrize("mode", ["required", "optional"])
def test_a_password_alone_does_not_earn_the_staff_exemption_from_the_rate_limit(settings, edna, device, mode):
    """Signed in with the password but not the code, a staff session is still counted like anyone's."""
    _mode(settings, mode)
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    edna.is_staff = True
    edna.save()
    client = signed_in_client(edna)

    def graphql_statuses():
        return [client.get("/graphql/", {"query": "{ __typename }"}).status_code for _ in range(5)]

    assert graphql_statuses()[-1] == 429

    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/admin/2fa/auth", {"otp_token": code(device), "next": "/admin/"}).status_code == 302
    assert set(graphql_statuses()) == {200}  # with the code, the staff exemption applies
