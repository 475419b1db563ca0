"""Images must have a description (the alt text), in the single and the multiple upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

pytestmark = pytest.mark.django_db
Image = get_image_model()


def _upload(name="protest.png"):
    file = get_test_image_file(filename=name)
    return SimpleUploadedFile(name, file.file.getvalue(), content_type="image/png")


def test_image_form_asks_for_a_description_as_alt_text(admin_client):
    content = admin_client.get("/admin/images/add/").content.decode()
    assert "Description (alt text)" in content
    assert "people who cannot see it" in content


def test_an_image_without_description_is_refused(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Protest",
            "file": _upload(),
            "description": "",
            "collection": Collection.get_first_root_node().id,
        },
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Image.objects.exists()


def test_an_image_with_a_description_is_saved(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Protest",
            "file": _upload(),
            "description": "Protesters outside the mine",
            "collection": Collection.get_first_root_node().id,
        },
    )
    assert response.status_code == 302
    assert Image.objects.get().description == "Protesters outside the mine"


def test_multiple_upload_asks_for_the_description_before_creating_the_image(admin_client):
    root = Collection.get_first_root_node()
    response = admin_client.post("/admin/images/multiple/add/", {"files[]": _upload(), "collection": root.id})
    payload = response.json()
    assert payload["success"] is True
    # Not an image yet: an upload waiting for its edit form, which asks for the description.
    assert not Image.objects.exists()
    assert "uploaded_file_id" in payload
    assert "Description (alt text)" in payload["form"]
    url = f"/admin/images/multiple/create_from_uploaded_image/{payload['uploaded_file_id']}/"
    prefix = f"uploaded-image-{payload['uploaded_file_id']}"
    response = admin_client.post(url, {f"{prefix}-title": "Protest", f"{prefix}-description": ""})
    assert response.json()["success"] is False
    response = admin_client.post(
        url,
        {
            f"{prefix}-title": "Protest",
            f"{prefix}-description": "Protesters",
            f"{prefix}-collection": root.id,
        },
    )
    assert response.json()["success"] is True, response.json()
    assert Image.objects.get().description == "Protesters"
