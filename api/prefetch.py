"""Bulk-loading what API responses read from pages, so a list of 50 costs the same SQL as a list of 1.

`prepare_pages()` runs each model's declared `api_prefetch` lookups over the whole list and
loads every image, document and page that the pages' StreamField bodies refer to, in one query
per kind. The chooser blocks in cms.blocks then read those objects from the request's memo.
"""

import copy
import functools
import threading
from collections import OrderedDict, defaultdict

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from cms.generation import current_generation
from cms.request_cache import store
from cms.stream_checks import well_formed_raw_blocks

STREAM_FIELDS = ("body",)


def image_prefetch(field_name):
    """A Prefetch of an image field; renditions come later, only those asked for (`renditions`)."""
    return Prefetch(field_name, queryset=get_image_model().objects.all())


def _register_images(images):
    """Images remembered for the request, so their renditions load in one batch."""
    memo = store()
    if memo is not None:
        known = memo.setdefault("images", {})
        for image in images:
            if image is not None:
                known[image.pk] = image


def renditions(image, *specs):
    """{spec: rendition} of `image` for allowed filter `specs`.

    The first time a request asks for a spec, its renditions are loaded for every image the request
    has loaded, in one query, so a list of 50 images costs the same as one; only the specs a query
    selects are read. Renditions are made on upload (api.renditions): a missing one is made here.
    """
    memo = store()
    if memo is None:
        return image.get_renditions(*map(_filter, specs))
    loaded = memo.setdefault("renditions", {})  # {(image id, spec): [renditions]}
    missing = [spec for spec in specs if (image.pk, spec) not in loaded]
    if missing:
        images = memo.setdefault("images", {})
        images.setdefault(image.pk, image)
        wanted = [(pk, spec) for pk in images for spec in missing if (pk, spec) not in loaded]
        loaded.update(_known_renditions.get_many(wanted))
        ids = list({pk for pk, spec in wanted if (pk, spec) not in loaded})
        if ids:
            found = {(pk, spec): [] for pk, spec in wanted if (pk, spec) not in loaded}
            rendition_model = get_image_model().get_rendition_model()
            for rendition in rendition_model.objects.filter(image_id__in=ids, filter_spec__in=missing):
                found.setdefault((rendition.image_id, rendition.filter_spec), []).append(rendition)
            loaded.update(found)
            _known_renditions.put({key: value for key, value in found.items() if value})
    # Wagtail's own lookup picks the rendition matching the focal point from these.
    image.prefetched_renditions = [r for spec in specs for r in loaded[(image.pk, spec)]]
    result = image.get_renditions(*map(_filter, specs))
    made = {(image.pk, spec): [result[spec]] for spec in specs if not loaded[(image.pk, spec)]}
    if made:  # missing until now (made just above): known from here on too
        loaded.update(made)
        _known_renditions.put(made)
    return result


class _KnownRenditions:
    """Renditions this process has read, for the current content generation.

    A rendition never changes once made, and an image edit (a new file or focal point) is a
    content change that starts a new generation, so within one they can be reused across
    requests without asking the database again. Bounded; only found renditions are kept.
    """

    MAX = 10_000

    def __init__(self):
        self.lock = threading.Lock()
        self.generation, self.entries = None, OrderedDict()

    def _current(self):
        generation = current_generation()
        if generation != self.generation:
            self.generation, self.entries = generation, OrderedDict()

    def get_many(self, keys):
        with self.lock:
            self._current()
            return {key: list(self.entries[key]) for key in keys if key in self.entries}

    def put(self, found):
        with self.lock:
            self._current()
            for key, value in found.items():
                self.entries[key] = tuple(value)
            while len(self.entries) > self.MAX:
                self.entries.popitem(last=False)


_known_renditions = _KnownRenditions()


@functools.lru_cache(maxsize=64)
def _filter(spec):
    # A Filter parses its spec (with `inspect`) once; Wagtail would build a new one per call.
    return Filter(spec=spec)


def prefetched_objects(model, ids):
    """{id: object or None} for `ids`, loading the ones this request has not seen in one query."""
    memo = store()
    cache = memo.setdefault(("objects", model._meta.label), {}) if memo is not None else {}
    missing = list({pk for pk in ids if pk not in cache})
    if missing:
        found = model._default_manager.in_bulk(missing)
        if model is get_image_model():
            _register_images(found.values())
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
            for item in well_formed_raw_blocks(stream):
                block_type, value = item["type"], item["value"]
                if block_type == "paragraph":
                    _rich_text_links(value, page_ids, document_ids)
                elif isinstance(value, dict):
                    for key, ids in (("image", image_ids), ("document", document_ids), ("page", page_ids)):
                        if isinstance(value.get(key), int):
                            ids.add(value[key])
    return image_ids, document_ids, page_ids


def _prefetch_stream_references(pages):
    from api.visibility import public_page_paths_known, public_pages

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


def _is_loader(lookup):
    return isinstance(lookup, str) and lookup.startswith("prefetch_")


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
        # A lookup is a relation for prefetch_related, or the name of a method loading the group.
        loaders = [getattr(model, lookup) for lookup in lookups if _is_loader(lookup)]
        relations = [lookup for lookup in lookups if not _is_loader(lookup)]
        if relations:
            # A relation the listing's query already joined (select_related) costs nothing here.
            prefetch_related_objects(group, *relations)
            for lookup in relations:
                if isinstance(lookup, Prefetch) and lookup.queryset.model is get_image_model():
                    _register_images(getattr(page, lookup.prefetch_to) for page in group)
        for loader in loaders:
            loader(group)
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
