"""An image uploaded as an editor does: a POST of the admin's add-image form."""

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection


def upload_image(admin_client, filename="protest.png", description="Protesters", **image_options):
    """POST one image to /admin/images/add/ (`image_options`: get_test_image_file's, e.g. size)."""
    file = get_test_image_file(filename=filename, **image_options)
    return admin_client.post(
        "/admin/images/add/",
        {
            "title": "Protest",
            "file": SimpleUploadedFile(filename, file.file.getvalue(), content_type="image/png"),
            "description": description,
            "collection": Collection.get_first_root_node().id,
        },
    )
