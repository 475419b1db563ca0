"""Serving media: image renditions from local disk, only of images anyone may see; documents through
Wagtail's view, hidden from whoever a restriction does not let in.

Original uploads are never served (the API hands out renditions). With S3 storage renditions come
from the bucket and `serve_rendition` is not used; documents always come through `serve_document`.

Caching: a rendition keeps its name while its image may move into a restricted collection, so no
answer is `immutable`; public files may be reused for `MEDIA_CACHE_MAX_AGE` seconds, and a
restricted document served to someone it lets in is `private, no-store`.
"""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.static import serve
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model

from api.input_rules import forbidden_character
from api.visibility import restricted_collection_ids


def media_url(url: str) -> str:
    """The absolute URL of a rendition: on MEDIA_BASE_URL (a CDN in front of the media) if set,
    else on WAGTAILADMIN_BASE_URL; never on the host a request named, so every answer (and every
    cached one) holds the same URL. URLs already absolute (S3 storage's) are kept as they are."""
    if "://" in url:
        return url
    base = settings.MEDIA_BASE_URL or str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + url if url.startswith("/") else f"{base}/{url}"


def cms_file_url(url: str) -> str:
    """The absolute URL of a file the CMS serves itself (documents, through their access checks)."""
    if "://" in url:
        return url
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/") + url


# Longer than any database id: such a URL names no document, and must not reach the query.
_MAX_ID_DIGITS = 18


def public_media_cache_control(response: HttpResponseBase) -> None:
    """Public media may be reused for MEDIA_CACHE_MAX_AGE seconds; never `immutable`, as a
    restriction added later must take effect once that time has passed."""
    patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_MAX_AGE)


def serve_rendition(request: HttpRequest, path: str) -> HttpResponseBase:
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
    response = serve(request, f"images/{path}", document_root=str(settings.MEDIA_ROOT))
    public_media_cache_control(response)
    return response


def serve_document(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponseBase:
    """Wagtail's document view, except that a document a restriction keeps from this visitor is a 404.

    Wagtail would answer with a password form or a redirect to the login page, which tells anyone
    the document exists; here the answer is the same as for a document that does not.
    """
    # Every answer depends on who is asking, so every answer (404s included) reads the session and
    # carries the same `Vary: Cookie`.
    request.user.is_authenticated  # noqa: B018
    if len(document_id) > _MAX_ID_DIGITS:
        raise Http404("No such document.")
    document = get_document_model().objects.filter(pk=int(document_id)).select_related("collection").first()
    restricted = document is not None and document.collection_id in restricted_collection_ids()
    if restricted and not all(
        restriction.accept_request(request) for restriction in document.collection.get_view_restrictions()
    ):
        raise Http404("No such document.")
    response: HttpResponseBase = wagtail_serve_document(request, document_id, document_filename)
    if restricted:
        add_never_cache_headers(response)  # private, no-store
    elif response.status_code in (200, 304):
        public_media_cache_control(response)
    return response
