"""API keys in the admin: made by superusers only, shown once, listed by prefix and last use, revoked
for good; and what the admin does shows on the API's next request."""

import datetime
import hashlib
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from api.models import ApiKey

pytestmark = pytest.mark.django_db

KEY = re.compile(r"psg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
QUERY = {"query": "{ __typename }"}


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.fixture
def frontend():
    """The frontend's server: no session, only its key (a superuser's session is exempt from limits)."""
    return Client()


def create(client, name="Static build", rate_limit=""):
    response = client.post(reverse("api_keys:add"), {"name": name, "rate_limit": rate_limit})
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    (key,) = set(KEY.findall(page))
    return key, response


def listing(client):
    """The listing's rows, each as {column heading: cell}."""
    page = BeautifulSoup(client.get(reverse("api_keys:index")).content, "html.parser")
    table = page.select_one("table.listing")
    headings = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    rows = table.find("tbody").find_all("tr")
    return [dict(zip(headings, tr.find_all(["th", "td"]), strict=True)) for tr in rows]


def api(frontend, key):
    return frontend.get("/graphql/", QUERY, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_new_key_is_shown_once_and_kept_as_a_hash(admin_client, frontend):
    key, response = create(admin_client)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "shown only this once" in response.content.decode()
    row = ApiKey.objects.get()
    assert row.name == "Static build" and row.rate_limit is None
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row.prefix + "_")
    # Nowhere else: not in the row, the admin's log, the listing or the edit form.
    assert key not in " ".join(str(value) for value in row.__dict__.values())
    assert key not in str(list(ModelLogEntry.objects.values()))
    for url in (reverse("api_keys:index"), reverse("api_keys:edit", args=[row.pk])):
        page = admin_client.get(url).content.decode()
        assert key not in page
        # The secret part (which may itself hold underscores), never only a fragment of it.
        assert key[len(row.prefix) + 1 :] not in page
    assert api(frontend, key).status_code == 200


def test_the_listing_shows_the_prefix_and_the_last_use(admin_client, frontend):
    key, _response = create(admin_client, rate_limit="600")
    row = ApiKey.objects.get()
    (cells,) = listing(admin_client)
    assert cells["Name"].get_text(strip=True).startswith("Static build")
    assert cells["Key begins"].get_text(strip=True) == row.prefix
    assert cells["Rate limit"].get_text(strip=True) == "600 per 60 s"
    assert cells["Status"].get_text(strip=True) == "Active"
    assert cells["Last used"].find("time") is None

    assert api(frontend, key).status_code == 200
    row.refresh_from_db()
    (cells,) = listing(admin_client)
    used = datetime.datetime.fromisoformat(cells["Last used"].find("time")["datetime"])
    assert used == row.last_used_at


def test_revoking_refuses_the_key_at_once_and_for_good(admin_client, frontend):
    key, _response = create(admin_client)
    row = ApiKey.objects.get()
    assert api(frontend, key).status_code == 200
    edit = reverse("api_keys:edit", args=[row.pk])
    response = admin_client.post(edit, {"name": "Static build", "rate_limit": "", "revoke": "on"})
    assert response.status_code == 302
    assert api(frontend, key).status_code == 401
    assert "Revoked" in admin_client.get(reverse("api_keys:index")).content.decode()
    # Unticking it on a later save brings nothing back.
    admin_client.post(edit, {"name": "Static build, renamed", "rate_limit": ""})
    row.refresh_from_db()
    assert row.name == "Static build, renamed" and row.revoked_at is not None
    assert api(frontend, key).status_code == 401


def test_a_new_limit_applies_on_the_next_request(admin_client, frontend):
    key, _response = create(admin_client)
    row = ApiKey.objects.get()
    assert api(frontend, key).status_code == 200  # its grant (no limit) is now cached
    admin_client.post(reverse("api_keys:edit", args=[row.pk]), {"name": row.name, "rate_limit": "3"})
    # Counted from the change on: requests without a limit were never counted.
    assert [api(frontend, key).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_deleting_a_key_refuses_it(admin_client, frontend):
    key, _response = create(admin_client)
    row = ApiKey.objects.get()
    assert api(frontend, key).status_code == 200
    assert admin_client.post(reverse("api_keys:delete", args=[row.pk])).status_code == 302
    assert api(frontend, key).status_code == 401


def test_a_limit_must_be_a_positive_number(admin_client):
    response = admin_client.post(reverse("api_keys:add"), {"name": "Build", "rate_limit": "0"})
    assert response.status_code == 200
    assert not KEY.search(response.content.decode())
    assert not ApiKey.objects.exists()


def test_editors_and_moderators_cannot_see_or_make_keys(client, editor, moderator):
    row = ApiKey.objects.create(name="Public site", prefix="psg_0123abcd", digest="0" * 64)
    for user in (editor, moderator):
        client.force_login(user)
        for url in (
            reverse("api_keys:index"),
            reverse("api_keys:add"),
            reverse("api_keys:edit", args=[row.pk]),
            reverse("api_keys:delete", args=[row.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response["Location"] != url
        made = client.post(reverse("api_keys:add"), {"name": "Mine", "rate_limit": ""})
        assert made.status_code in (302, 403)
        assert ApiKey.objects.count() == 1
        assert "API keys" not in client.get("/admin/").content.decode()


def test_superusers_find_the_keys_under_settings(admin_client):
    assert "API keys" in admin_client.get("/admin/").content.decode()
