"""Bulk-loading what API responses read from pages, so a list of 50 costs the same SQL as a list of 1.

`prepare_pages()` runs each model's declared `api_prefetch` lookups over the whole list and
loads every image, document and page that the pages' StreamField bodies refer to, in one query
per kind. The chooser blocks in cms.blocks then read those objects from the request's memo.
"""

import copy
from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from cms.request_cache import store

STREAM_FIELDS = ("body",)


def images_with_renditions():
    """Images with their renditions of the allowed filters, so `rendition`/`srcset` need no query."""
    return get_image_model().objects.prefetch_renditions(*settings.ALLOWED_IMAGE_FILTERS)


def image_prefetch(field_name):
    return Prefetch(field_name, queryset=images_with_renditions())


def prefetched_objects(model, ids):
    """{id: object or None} for `ids`, loading the ones this request has not seen in one query."""
    memo = store()
    cache = memo.setdefault(("objects", model._meta.label), {}) if memo is not None else {}
    missing = list({pk for pk in ids if pk not in cache})
    if missing:
        queryset = images_with_renditions() if model is get_image_model() else model._default_manager.all()
        found = queryset.in_bulk(missing)
        for pk in missing:
            cache[pk] = found.get(pk)
    return {pk: cache[pk] for pk in ids}


def objects_for_chooser(model, values):
    """What a chooser block's bulk_to_python returns, served from the request's prefetched objects."""
    objects = prefetched_objects(model, [pk for pk in values if pk is not None])
    return [copy.copy(objects[pk]) if pk is not None and objects[pk] is not None else None for pk in values]


def _rich_text_links(html, page_ids, document_ids):
    for match in FIND_A_TAG.finditer(html or ""):
        attrs = extract_attrs(match.group(1))
        pk = attrs.get("id", "")
        if not pk.isdigit():
            continue
        if attrs.get("linktype") == "page":
            page_ids.add(int(pk))
        elif attrs.get("linktype") == "document":
            document_ids.add(int(pk))


def _collect_references(pages):
    image_ids, document_ids, page_ids = set(), set(), set()
    for page in pages:
        for name in STREAM_FIELDS:
            stream = getattr(page, name, None)
            if stream is None or not hasattr(stream, "raw_data"):
                continue
            for item in stream.raw_data:
                block_type, value = item["type"], item["value"]
                if block_type == "paragraph":
                    _rich_text_links(value, page_ids, document_ids)
                elif isinstance(value, dict):
                    for key, ids in (("image", image_ids), ("document", document_ids), ("page", page_ids)):
                        if isinstance(value.get(key), int):
                            ids.add(value[key])
    return image_ids, document_ids, page_ids


def _prefetch_stream_references(pages):
    from cms.visibility import public_page_paths_known, public_pages

    image_ids, document_ids, page_ids = _collect_references(pages)
    if image_ids:
        prefetched_objects(get_image_model(), image_ids)
    if document_ids:
        prefetched_objects(get_document_model(), document_ids)
    if page_ids:
        # One query answers both what a page chooser holds and whether it may be shown: a chosen
        # page that is not public reads as None, exactly what the API renders for it.
        public = {page.pk: page for page in public_pages().filter(pk__in=page_ids)}
        objects = store().setdefault(("objects", Page._meta.label), {})
        known_paths = public_page_paths_known()
        for pk in page_ids:
            objects[pk] = public.get(pk)
            known_paths[pk] = public[pk].url_path if pk in public else None


def prepare_pages(pages):
    """Prefetch what the API may read from `pages` (specific pages, one response's list).

    Relations declared in each model's `api_prefetch` are fetched now for the whole list; what
    StreamField bodies refer to is fetched for the whole list the first time any body is read
    (`stream_for`), so a query that does not select bodies pays nothing for them.
    """
    pages = list(pages)
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, group in by_model.items():
        lookups = getattr(model, "api_prefetch", ())
        if lookups:
            prefetch_related_objects(group, *lookups)
    memo = store()
    if memo is not None:
        batch = {"pages": pages, "done": False}
        batches = memo.setdefault("stream_batches", {})
        for page in pages:
            batches[id(page)] = batch
    return pages


def stream_for(page, field_name="body"):
    """The page's StreamField value, with the references of its whole batch loaded in one go."""
    memo = store()
    if memo is not None:
        batch = memo.setdefault("stream_batches", {}).get(id(page))
        if batch is None:
            batch = {"pages": [page], "done": False}
        if not batch["done"]:
            batch["done"] = True
            _prefetch_stream_references(batch["pages"])
    return getattr(page, field_name)
