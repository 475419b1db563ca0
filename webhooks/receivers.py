"""Which changes send a webhook: page publish, unpublish, move, delete and privacy; snippet and
settings saves; images, documents and collections' privacy; and what the clock alone changes
(an event ending), when the scheduler says it has moved on (`schedule_reached`).

Saving a draft sends nothing (no publish signal). Scheduled go-live and expiry (`publish_scheduled`)
go through the same publish and unpublish actions, so they send page.published and page.unpublished.
The snippets watched are those registered with Wagtail (`register_snippet`), whichever app owns them.
Every payload is worked out when the signal fires, inside the change's transaction: the reference
index is current then (Wagtail updates it in the request), and a deleted object's inbound references
still exist (pre_delete).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms import revalidation
from cms.models import SiteSettings
from webhooks import payloads
from webhooks.delivery import send


def _published(sender: type[Model], instance: Page, **kwargs: Any) -> None:
    send(payloads.PAGE_PUBLISHED, payloads.page_data(instance))


def _unpublished(sender: type[Model], instance: Page, **kwargs: Any) -> None:
    # Wagtail unpublishes a live page just before deleting it: then page.deleted says it all.
    def deleted() -> bool:
        return not Page.objects.filter(pk=instance.pk).exists()

    send(payloads.PAGE_UNPUBLISHED, payloads.page_data(instance), unless=deleted)


def _moved(
    sender: type[Model],
    instance: Page,
    parent_page_before: Page,
    parent_page_after: Page,
    url_path_before: str,
    url_path_after: str,
    **kwargs: Any,
) -> None:
    data = payloads.moved_page_data(
        instance, parent_page_before, parent_page_after, url_path_before, url_path_after
    )
    send(payloads.PAGE_MOVED, data)


def _slug_changed(sender: type[Model], instance: Page, instance_before: Page, **kwargs: Any) -> None:
    # A live page published under a new slug: its old path (and its descendants') is gone.
    if instance.live:
        parent = instance.get_parent()
        data = payloads.moved_page_data(instance, parent, parent, instance_before.url_path, instance.url_path)
        send(payloads.PAGE_MOVED, data)


def _page_deleted(sender: type[Model], instance: Page, **kwargs: Any) -> None:
    # pre_delete runs inside the deletion's transaction, while the page, its parent and the
    # references to it still exist; send() waits for that transaction to commit. Fires once per
    # page, descendants included.
    if instance.depth > 1:
        send(payloads.PAGE_DELETED, payloads.page_data(instance))


def _page_privacy_changed(sender: type[Model], instance: PageViewRestriction, **kwargs: Any) -> None:
    # Saved after the restriction's row is (post_save), or deleted (post_delete): the page may be
    # gone with it when the whole page is being deleted, and then page.deleted says it all.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        send(payloads.PAGE_PRIVACY_CHANGED, payloads.privacy_data(page))


def _saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if sender is SiteSettings:
        send(payloads.SETTINGS_CHANGED, payloads.settings_data(instance))
    elif revalidation.is_snippet(sender):
        send(payloads.SNIPPET_CHANGED, payloads.snippet_data(instance))


def _deleting(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if revalidation.is_snippet(sender):
        send(payloads.SNIPPET_CHANGED, payloads.snippet_data(instance))


def _media_changed(event_type: str) -> Callable[..., None]:
    def changed(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
        # An image or document no live page uses sends nothing (an upload, say).
        paths = revalidation.media_paths([instance])
        if paths.paths and not raw:
            send(event_type, payloads.media_data(instance, paths))

    return changed


_image_changed = _media_changed(payloads.IMAGE_CHANGED)
_document_changed = _media_changed(payloads.DOCUMENT_CHANGED)


def _collection_privacy_changed(
    sender: type[Model], instance: CollectionViewRestriction, **kwargs: Any
) -> None:
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    paths = revalidation.collection_paths(collection)
    if paths.paths:
        send(payloads.MEDIA_PRIVACY_CHANGED, payloads.media_data(collection, paths))


def _schedule_reached(sender: Any, since: datetime.datetime, until: datetime.datetime, **kwargs: Any) -> None:
    paths = revalidation.clock_paths(since, until)
    if paths.paths:
        send(payloads.SCHEDULE_REACHED, payloads.schedule_data(since, until, paths))


def connect() -> None:
    page_published.connect(_published, dispatch_uid="psg-webhook-published")
    page_unpublished.connect(_unpublished, dispatch_uid="psg-webhook-unpublished")
    post_page_move.connect(_moved, dispatch_uid="psg-webhook-moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="psg-webhook-slug-changed")
    revalidation.schedule_reached.connect(_schedule_reached, dispatch_uid="psg-webhook-schedule")
    # Sender Page: Django sends pre_delete for the Page row of every deleted page, whatever its type.
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="psg-webhook-page-deleted")
    # Every model's saves and deletions, filtered by the snippet registry when they happen.
    post_save.connect(_saved, dispatch_uid="psg-webhook-saved")
    pre_delete.connect(_deleting, dispatch_uid="psg-webhook-deleting")
    for signal in (post_save, post_delete):
        signal.connect(
            _page_privacy_changed, sender=PageViewRestriction, dispatch_uid=f"psg-webhook-privacy-{signal!r}"
        )
        signal.connect(
            _collection_privacy_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"psg-webhook-media-privacy-{signal!r}",
        )
    # Saved, or about to be deleted (its inbound references go with the row).
    for signal in (post_save, pre_delete):
        signal.connect(_image_changed, sender=get_image_model(), dispatch_uid=f"psg-webhook-image-{signal!r}")
        signal.connect(
            _document_changed, sender=get_document_model(), dispatch_uid=f"psg-webhook-document-{signal!r}"
        )
