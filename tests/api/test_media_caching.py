"""How long media may be cached, and what a restricted file answers.

A rendition keeps its URL when its image moves into a restricted collection, so no media answer
may be `immutable` or cached for long; restricted files answer exactly like missing ones, and a
restricted document served to someone its restriction lets in is never stored by any cache.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction

from tests.api.test_hidden_paths import shape

pytestmark = pytest.mark.django_db


def root_collection():
    return Collection.get_first_root_node()


def restricted_collection(kind=CollectionViewRestriction.LOGIN, group=None):
    collection = root_collection().add_child(name=f"Embargoed ({kind})")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=kind, password="s3cret"
    )
    if group is not None:
        restriction.groups.add(group)
    return collection


def make_rendition(collection=None):
    image = get_image_model().objects.create(
        title="Las Bambas", file=get_test_image_file(), collection=collection or root_collection()
    )
    return image, image.get_rendition("width-400")


def make_document(collection=None):
    return get_document_model().objects.create(
        title="Annual report",
        file=ContentFile(b"%PDF-1.4 report", name="annual-report.pdf"),
        collection=collection or root_collection(),
    )


# --- Renditions ---------------------------------------------------------------------------------


def test_a_public_rendition_is_cached_for_a_bounded_time_and_never_as_immutable(client):
    _image, rendition = make_rendition()
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


def test_the_bound_is_a_setting(client, settings):
    settings.MEDIA_CACHE_MAX_AGE = 600
    _image, rendition = make_rendition()
    assert client.get(rendition.url)["Cache-Control"] == "public, max-age=600"


def test_a_revalidated_rendition_keeps_the_same_rules(client):
    _image, rendition = make_rendition()
    first = client.get(rendition.url)
    again = client.get(rendition.url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    "kind",
    [CollectionViewRestriction.LOGIN, CollectionViewRestriction.PASSWORD, CollectionViewRestriction.GROUPS],
)
def test_a_restricted_rendition_answers_like_a_missing_one(client, kind):
    nested = restricted_collection(kind).add_child(name="Photos")
    _image, rendition = make_rendition(nested)
    assert shape(client.get(rendition.url)) == shape(client.get("/media/images/no-such-file.width-400.png"))


def test_a_rendition_restricted_after_it_was_served_is_no_longer_served(client):
    image, rendition = make_rendition()
    assert client.get(rendition.url).status_code == 200
    image.collection = restricted_collection()
    image.save()
    assert shape(client.get(rendition.url)) == shape(client.get("/media/images/no-such-file.width-400.png"))


# --- Documents -----------------------------------------------------------------------------------


def missing_document(client):
    return shape(client.get("/documents/999999/annual-report.pdf"))


def test_a_public_document_is_cached_for_a_bounded_time(client):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    "kind",
    [CollectionViewRestriction.LOGIN, CollectionViewRestriction.PASSWORD, CollectionViewRestriction.GROUPS],
)
def test_a_restricted_document_answers_an_anonymous_visitor_like_a_missing_one(client, kind):
    document = make_document(restricted_collection(kind, group=Group.objects.create(name="Trustees")))
    # Wagtail's own view would answer with a password form (200) or a redirect to the login (302).
    assert shape(client.get(document.url)) == missing_document(client)
    assert shape(client.get(f"/documents/{document.pk}/wrong-name.pdf")) == missing_document(client)


def test_a_restricted_document_is_served_privately_to_whoever_it_lets_in(client, django_user_model):
    trustees = Group.objects.create(name="Trustees")
    document = make_document(restricted_collection(CollectionViewRestriction.GROUPS, group=trustees))
    outsider = django_user_model.objects.create_user(username="outsider", password="x")
    client.force_login(outsider)
    assert shape(client.get(document.url)) == missing_document(client)

    trustee = django_user_model.objects.create_user(username="trustee", password="x")
    trustee.groups.add(trustees)
    client.force_login(trustee)
    response = client.get(document.url)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_a_document_restricted_later_is_hidden_and_its_password_form_is_not_found(client):
    document = make_document()
    assert client.get(document.url).status_code == 200
    document.collection = restricted_collection(CollectionViewRestriction.PASSWORD)
    document.save()
    assert shape(client.get(document.url)) == missing_document(client)
    restriction = CollectionViewRestriction.objects.get()
    form = f"/documents/authenticate_with_password/{restriction.pk}/"
    assert client.get(form).status_code == 404
    assert client.post(form, {"password": "s3cret", "return_url": document.url}).status_code == 404
    assert client.get(document.url).status_code == 404


def test_an_overlong_document_id_is_not_found(client):
    assert shape(client.get(f"/documents/{'9' * 40}/annual-report.pdf")) == missing_document(client)


def test_a_revalidated_document_keeps_the_same_rules(client):
    document = make_document()
    first = client.get(document.url)
    again = client.get(document.url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=3600"
