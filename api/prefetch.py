"""Bulk-loading what API responses read from pages, so a list of 50 costs the same SQL as a list of 1.

`prepare_pages()` runs each model's declared `api_prefetch` lookups over the whole list. The first
time a StreamField or rich text field is read (`with_references_loaded`), every image, document,
page or snippet that field refers to, across the whole list, is loaded in one query per model into
the request's objects (cms.request_objects), where the chooser blocks of cms.blocks read them.
What a field refers to is found through its definition: each raw block through its block (choosers
give their model and id; structs, lists and streams their children; rich text its links, through
Wagtail's link handlers), never through a list of field or block names.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Prefetch, prefetch_related_objects
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition, Filter
from wagtail.models import Page

from api.image_sizes import standing_spec
from api.models import ImagePreview
from api.visibility import public_page_paths_known, public_pages
from cms.generation import KeptForGeneration
from cms.internals.wagtail_rich_text import linked_objects
from cms.request_cache import store
from cms.request_objects import known_objects, objects_by_id
from cms.stream_checks import list_item_value, well_formed_raw_blocks

# {model: ids} of the objects a field refers to.
References = defaultdict[type[Model], set[int]]


def image_prefetch(field_name: str) -> Prefetch:
    """A Prefetch of an image field; renditions come later, only those asked for (`renditions`)."""
    return Prefetch(field_name, queryset=get_image_model().objects.all())


def _register_images(images: Iterable[AbstractImage | None]) -> None:
    """Images remembered for the request, so their renditions load in one batch."""
    known = known_objects(get_image_model())
    if known is not None:
        for image in images:
            if image is not None:
                known[image.pk] = image


def renditions(
    image: AbstractImage, *specs: str, load_also: Iterable[str] = ()
) -> dict[str, AbstractRendition]:
    """{spec: rendition} of `image` for allowed filter `specs` (each spec's rendition, or, where the
    original is narrower, the rendition of the same size made in its stead: api.image_sizes)."""
    standing = {spec: standing_spec(image, spec) for spec in specs}
    found = _renditions(image, *dict.fromkeys(standing.values()), load_also=load_also)
    return {spec: found[standing[spec]] for spec in specs}


def _renditions(
    image: AbstractImage, *specs: str, load_also: Iterable[str] = ()
) -> dict[str, AbstractRendition]:
    """{spec: rendition} of `image` for the Wagtail filter `specs`.

    The first time a request asks for a spec, its renditions are loaded for every image the request
    has loaded, in one query, so a list of 50 images costs the same as one; with it, the specs of
    `load_also` (those the query is likely to ask for next, as other widths of the same format).
    Renditions are made on save and publish (api.renditions): a missing one is made here.
    """
    memo = store()
    images = known_objects(get_image_model())
    if memo is None or images is None:
        result: dict[str, AbstractRendition] = image.get_renditions(*map(_filter, specs))
        return result
    chosen = _chosen_renditions.get_many((image.pk, spec) for spec in specs)
    if len(chosen) == len(specs):
        return {spec: chosen[image.pk, spec] for spec in specs}
    loaded = memo.setdefault("renditions", {})  # {(image id, spec): [renditions]}
    asked = [spec for spec in specs if (image.pk, spec) not in loaded]
    if asked:
        missing = list(dict.fromkeys([*asked, *(s for s in load_also if (image.pk, s) not in loaded)]))
        if images.get(image.pk) is None:
            images[image.pk] = image
        pks = [pk for pk, known in images.items() if known is not None]
        wanted = [(pk, spec) for pk in pks for spec in missing if (pk, spec) not in loaded]
        loaded.update((key, list(found)) for key, found in _known_renditions.get_many(wanted).items())
        ids = list({pk for pk, spec in wanted if (pk, spec) not in loaded})
        # Only what was asked for sends a query: the process knows renditions that exist, not
        # those an image does not have (a size it is too small for).
        if any((pk, spec) not in loaded for pk in pks for spec in asked):
            found: dict[tuple[int, str], list[AbstractRendition]] = {
                (pk, spec): [] for pk, spec in wanted if (pk, spec) not in loaded
            }
            rendition_model = get_image_model().get_rendition_model()
            for rendition in rendition_model.objects.filter(image_id__in=ids, filter_spec__in=missing):
                found.setdefault((rendition.image_id, rendition.filter_spec), []).append(rendition)
            loaded.update(found)
            _known_renditions.put_many({key: tuple(value) for key, value in found.items() if value})
    # Wagtail's own lookup picks the rendition matching the focal point from these.
    image.prefetched_renditions = [r for spec in specs for r in loaded[(image.pk, spec)]]
    result = image.get_renditions(*map(_filter, specs))
    made = {(image.pk, spec): [result[spec]] for spec in specs if not loaded[(image.pk, spec)]}
    if made:  # missing until now (made just above): known from here on too
        loaded.update(made)
        _known_renditions.put_many({key: tuple(value) for key, value in made.items()})
    _chosen_renditions.put_many({(image.pk, spec): rendition for spec, rendition in result.items()})
    return result


# Renditions this process has read, {(image id, spec): renditions}, and the one Wagtail chose among
# them for the image's focal point, {(image id, spec): rendition}. A rendition never changes once
# made, and an image edit (a new file or focal point) is a content change that starts a new
# generation, so within one they are reused across requests without asking the database again.
# Only found renditions are kept.
RenditionKey = tuple[int, str]
_known_renditions: KeptForGeneration[RenditionKey, tuple[AbstractRendition, ...]] = KeptForGeneration(10_000)
_chosen_renditions: KeptForGeneration[RenditionKey, AbstractRendition] = KeptForGeneration(10_000)


@functools.lru_cache(maxsize=64)
def _filter(spec: str) -> Filter:
    # A Filter parses its spec (with `inspect`) once; Wagtail would build a new one per call.
    return Filter(spec=spec)


def _block_references(block: blocks.Block, raw: Any, found: References) -> None:
    """What the raw value of `block` refers to, read through the block's definition."""
    if isinstance(block, blocks.ChooserBlock):
        # Keyed by the model the block reads (cms.blocks), so it finds what is loaded here.
        if type(raw) is int:
            found[block.model_class].add(raw)
    elif isinstance(block, blocks.RichTextBlock):
        if isinstance(raw, str):
            _rich_text_references(raw, found)
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                _block_references(child, raw.get(name), found)
    elif isinstance(block, blocks.ListBlock):
        if isinstance(raw, list):
            for item in raw:
                _block_references(block.child_block, list_item_value(item), found)
    elif isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                _block_references(block.child_blocks[item["type"]], item.get("value"), found)


def _rich_text_references(html: str, found: References) -> None:
    for model, pk in linked_objects(html):
        found[model].add(pk)


def _field_references(pages: Iterable[Page], field_name: str) -> References:
    found: References = defaultdict(set)
    for page in pages:
        try:
            field = type(page)._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        value: Any = getattr(page, field_name, None)
        if isinstance(field, StreamField):
            for item in well_formed_raw_blocks(value):
                _block_references(value.stream_block.child_blocks[item["type"]], item["value"], found)
        elif isinstance(field, RichTextField) and isinstance(value, str):
            _rich_text_references(value, found)
    return found


def referenced_image_ids(page: Page) -> set[int]:
    """Ids of the images `page` shows: its image foreign keys and what its StreamField and rich text
    fields refer to (found through their definitions, as for batching)."""
    image_model = get_image_model()
    ids: set[int] = set()
    for field in type(page)._meta.get_fields():
        if getattr(field, "many_to_one", False) and field.related_model is image_model:
            value = getattr(page, field.attname, None)
            if value is not None:
                ids.add(value)
        elif isinstance(field, (StreamField, RichTextField)):
            ids |= _field_references([page], field.name).get(image_model, set())
    return ids


def image_preview(image: AbstractImage) -> ImagePreview | None:
    """The image's placeholder and colour (api.renditions), if made for its current file.

    The first call of a request loads them for every image the request has loaded, in one query.
    """
    memo = store()
    images = known_objects(get_image_model())
    if memo is None or images is None:
        return ImagePreview.objects.filter(image_id=image.pk, file_name=image.file.name).first()
    loaded: dict[int, ImagePreview | None] = memo.setdefault("image_previews", {})
    if image.pk not in loaded:
        if images.get(image.pk) is None:
            images[image.pk] = image
        wanted = [pk for pk, known in images.items() if known is not None and pk not in loaded]
        found = {preview.image_id: preview for preview in ImagePreview.objects.filter(image_id__in=wanted)}
        for pk in wanted:
            loaded[pk] = found.get(pk)
    preview = loaded[image.pk]
    return preview if preview is not None and preview.file_name == image.file.name else None


def _load(found: References) -> None:
    for model, ids in found.items():
        if issubclass(model, Page):
            _load_public_pages(model, ids)
        else:
            objects_by_id(model, ids)


def _load_public_pages(model: type[Page], ids: set[int]) -> None:
    # One query answers both what a page chooser holds and whether it may be shown: a chosen
    # page that is not public reads as None, exactly what the API renders for it.
    objects = known_objects(model)
    known_paths = public_page_paths_known()
    if objects is None or known_paths is None:
        return
    wanted = [pk for pk in ids if pk not in objects or pk not in known_paths]
    if not wanted:
        return
    public = {page.pk: page for page in public_pages(model).filter(pk__in=wanted)}
    for pk in wanted:
        objects[pk] = public.get(pk)
        known_paths[pk] = public[pk].url_path if pk in public else None


def _is_loader(lookup: Any) -> bool:
    return isinstance(lookup, str) and lookup.startswith("prefetch_")


def prepare_pages(pages: Iterable[Page]) -> list[Page]:
    """Prefetch what the API may read from `pages` (specific pages, one response's list).

    Relations declared in each model's `api_prefetch` are fetched now for the whole list; what
    StreamField and rich text fields refer to is fetched for the whole list the first time the
    field is read (`with_references_loaded`), so a query that does not select a body pays nothing
    for it.
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
                if (
                    isinstance(lookup, Prefetch)
                    and getattr(lookup.queryset, "model", None) is get_image_model()
                ):
                    _register_images(getattr(page, lookup.prefetch_to) for page in group)
        for loader in loaders:
            loader(group)
    memo = store()
    if memo is not None:
        batch: dict[str, Any] = {"pages": pages, "loaded": set()}
        batches = memo.setdefault("batches", {})
        for page in pages:
            batches[id(page)] = batch
    return pages


def with_references_loaded(page: Page, field_name: str) -> Any:
    """`page.<field_name>` (a StreamField or rich text), what it refers to loaded for the page's batch."""
    memo = store()
    if memo is not None:
        batches = memo.setdefault("batches", {})
        batch = batches.get(id(page))
        if batch is None:
            batch = batches[id(page)] = {"pages": [page], "loaded": set()}
        if field_name not in batch["loaded"]:
            batch["loaded"].add(field_name)
            _load(_field_references(batch["pages"], field_name))
    return getattr(page, field_name)


def is_prepared(page: Page) -> bool:
    """Whether `page` came through `prepare_pages()` in this request (one of a response's list)."""
    memo = store()
    return memo is not None and id(page) in memo.get("batches", {})


def batch_pages(page: Page) -> list[Page]:
    """The pages prepared together with `page` (one response's list), or `page` alone."""
    memo = store()
    if memo is None:
        return [page]
    batch = memo.setdefault("batches", {}).setdefault(id(page), {"pages": [page], "loaded": set()})
    pages: list[Page] = batch["pages"]
    return pages


def loaded_for_batch(page: Page, key: Any, load: Any) -> Any:
    """`load(pages)` for the whole batch `page` belongs to, run once per batch and `key`; its answer.

    What a field reads beyond the page row (its parent, neighbours, share image) costs the same SQL
    for a list of 50 as for one.
    """
    memo = store()
    if memo is None:
        return load([page])
    batch = memo.setdefault("batches", {}).setdefault(id(page), {"pages": [page], "loaded": set()})
    answers = batch.setdefault("answers", {})
    if key not in answers:
        answers[key] = load(batch["pages"])
    return answers[key]


def load_images(pages: Iterable[Page], field_name: str) -> None:
    """The image `field_name` of every page in one query, remembered so renditions load in one batch."""
    pages = [page for page in pages if getattr(page, f"{field_name}_id", None) is not None]
    prefetch_related_objects(pages, image_prefetch(field_name))
    _register_images(getattr(page, field_name) for page in pages)
