"""Serving media from local disk: image renditions only, and only of images anyone may see.

Original uploads are never served (the API hands out renditions), and documents go through
Wagtail's document view, which applies collection privacy. With S3 storage none of this is used.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.images import get_image_model

from cms.input_rules import forbidden_character
from cms.visibility import restricted_collection_ids

# The rendition's file column; a longer name, or one with NUL, is no rendition (nor a file).
_MAX_NAME = 255 - len("images/")


def serve_rendition(request, path):
    if len(path) > _MAX_NAME or forbidden_character(path):
        raise Http404("No such image.")
    rendition_model = get_image_model().get_rendition_model()
    rendition = (
        rendition_model.objects.filter(file=f"images/{path}")
        .select_related("image")
        .only("image__collection_id")
        .first()
    )
    if rendition is None or rendition.image.collection_id in restricted_collection_ids():
        raise Http404("No such image.")
    response = serve(request, f"images/{path}", document_root=settings.MEDIA_ROOT)
    # Rendition files never change under the same name.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
