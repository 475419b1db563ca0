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


def serve_rendition(request, path):
    rendition_model = get_image_model().get_rendition_model()
    # A name longer than the file column, or with NUL, is no rendition: no need to ask the database.
    longest = rendition_model._meta.get_field("file").max_length - len("images/")
    if len(path) > longest or forbidden_character(path):
        raise Http404("No such image.")
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
