"""Admin: Settings → Persisted queries, for superusers: the allowlist listed, a manifest uploaded (the
command's checks and loading), an operation removed, and its last use shown."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import PersistedQuery
from tests.api import apq
from tests.factories import make_site

pytestmark = pytest.mark.django_db

INDEX = "/admin/persisted_queries/"
UPLOAD = "/admin/persisted_queries/upload/"


def manifest(*documents, name="persisted-documents.json"):
    """graphql-codegen's persisted documents, as an upload."""
    body = json.dumps({apq.sha256(document): document for document in documents}).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def apollo_manifest(*operations):
    listed = [{"id": apq.sha256(body), "name": n, "type": t, "body": body} for n, t, body in operations]
    body = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": listed}
    return SimpleUploadedFile("persisted-query-manifest.json", json.dumps(body).encode())


def test_a_superuser_uploads_a_manifest_and_sees_the_operations(admin_client, admin_user, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    form = admin_client.get(UPLOAD)
    assert form.status_code == 200
    assert "only the operations loaded here (and the CMS's own) run" in form.content.decode()
    response = admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS, apq.TOPICS)}, follow=True)
    assert response.status_code == 200
    assert (
        "2 operation(s) listed in persisted-documents.json: 2 added, 0 already loaded."
        in response.content.decode()
    )
    rows = PersistedQuery.objects.order_by("operation_name")
    assert [(row.operation_name, row.sha256_hash) for row in rows] == [
        ("LatestNews", apq.sha256(apq.NEWS)),
        ("Topics", apq.sha256(apq.TOPICS)),
    ]
    assert {row.source for row in rows} == {f"persisted-documents.json (uploaded by {admin_user.username})"}

    listing = admin_client.get(INDEX).content.decode()
    for text in (
        "LatestNews",
        "Topics",
        apq.sha256(apq.NEWS)[:16],
        "persisted-documents.json",
        "Upload a manifest",
    ):
        assert text in listing
    inspect = admin_client.get(f"{INDEX}inspect/{rows[0].pk}/").content.decode()
    assert "pagination { totalCount }" in inspect

    again = admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS)}, follow=True).content.decode()
    assert "1 operation(s) listed in persisted-documents.json: 0 added, 1 already loaded." in again


def test_an_upload_with_a_refused_operation_loads_nothing(admin_client):
    mutation = "mutation Vote { vote }"
    response = admin_client.post(
        UPLOAD,
        {"manifest": apollo_manifest(("LatestNews", "query", apq.NEWS), ("Vote", "mutation", mutation))},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Refused operations[1] (Vote): it is a mutation: this API serves queries only." in page
    assert "1 operation(s) refused; nothing was loaded." in page
    assert not PersistedQuery.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "The manifest"),
        (b"[1, 2]", "The manifest must be a JSON object."),
        (json.dumps({"format": "other"}).encode(), "Unknown manifest format"),
    ],
)
def test_a_file_that_is_no_manifest_is_refused_with_the_reason(admin_client, content, message):
    upload = SimpleUploadedFile("build.json", content)
    response = admin_client.post(UPLOAD, {"manifest": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PersistedQuery.objects.exists()


def test_replace_removes_what_the_new_build_does_not_list(admin_client, settings, client):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    make_site()
    admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS, apq.TOPICS)})
    assert apq.get(client, sha256_hash=apq.sha256(apq.TOPICS)).status_code == 200
    response = admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS), "replace": "on"}, follow=True)
    assert ": 0 added, 1 already loaded, 1 removed." in response.content.decode()
    assert list(PersistedQuery.objects.values_list("operation_name", flat=True)) == ["LatestNews"]
    # Gone from the next request on, even though it was cached and answered before.
    assert apq.get(client, sha256_hash=apq.sha256(apq.TOPICS)).status_code == 403


def test_removing_an_operation_stops_it_running(admin_client, settings, client):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    make_site()
    admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS)})
    row = PersistedQuery.objects.get()
    assert apq.get(client, sha256_hash=apq.sha256(apq.NEWS)).status_code == 200
    assert admin_client.get(f"{INDEX}delete/{row.pk}/").status_code == 200
    response = admin_client.post(f"{INDEX}delete/{row.pk}/")
    assert response.status_code == 302
    assert not PersistedQuery.objects.exists()
    refused = apq.get(client, sha256_hash=apq.sha256(apq.NEWS))
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


def test_the_last_use_is_recorded_when_a_request_reads_the_operation(admin_client, settings, client):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    make_site()
    admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS)})
    assert PersistedQuery.objects.get().last_used_at is None
    assert apq.get(client, sha256_hash=apq.sha256(apq.NEWS)).status_code == 200
    assert PersistedQuery.objects.get().last_used_at is not None


def test_only_superusers_see_or_change_the_allowlist(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(*_admin_access())
    client.force_login(editor)
    assert client.get(INDEX).status_code in {302, 403}
    assert client.post(UPLOAD, {"manifest": manifest(apq.NEWS)}).status_code in {302, 403}
    assert not PersistedQuery.objects.exists()


def test_operations_are_never_added_or_edited_by_hand(admin_client):
    admin_client.post(UPLOAD, {"manifest": manifest(apq.NEWS)})
    row = PersistedQuery.objects.get()
    assert admin_client.get(f"{INDEX}new/").status_code in {302, 403}
    assert admin_client.get(f"{INDEX}edit/{row.pk}/").status_code in {302, 403}
    assert "Add persisted query" not in admin_client.get(INDEX).content.decode()


def _admin_access():
    return Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
