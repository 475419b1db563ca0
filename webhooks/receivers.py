"""Which changes send a webhook: page publish, unpublish, move, delete; snippet and settings saves.

Saving a draft sends nothing (no publish signal). Scheduled go-live and expiry (`publish_scheduled`)
go through the same publish and unpublish actions, so they send page.published and page.unpublished.
The snippets watched are those registered with Wagtail (`register_snippet`), whichever app owns them.
"""

from django.db.models.signals import post_save, pre_delete
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.models import SiteSettings
from webhooks import payloads
from webhooks.delivery import send


def _published(sender, instance, **kwargs):
    send(payloads.PAGE_PUBLISHED, payloads.page_data(instance))


def _unpublished(sender, instance, **kwargs):
    # Wagtail unpublishes a live page just before deleting it: then page.deleted says it all.
    def deleted():
        return not Page.objects.filter(pk=instance.pk).exists()

    send(payloads.PAGE_UNPUBLISHED, payloads.page_data(instance), unless=deleted)


def _moved(
    sender, instance, parent_page_before, parent_page_after, url_path_before, url_path_after, **kwargs
):
    data = payloads.moved_page_data(
        instance, parent_page_before, parent_page_after, url_path_before, url_path_after
    )
    send(payloads.PAGE_MOVED, data)


def _slug_changed(sender, instance, instance_before, **kwargs):
    # A live page published under a new slug: its old path (and its descendants') is gone.
    if instance.live:
        parent = instance.get_parent()
        data = payloads.moved_page_data(instance, parent, parent, instance_before.url_path, instance.url_path)
        send(payloads.PAGE_MOVED, data)


def _page_deleted(sender, instance, **kwargs):
    # pre_delete runs inside the deletion's transaction, while the page and its parent still exist;
    # send() waits for that transaction to commit. Fires once per page, descendants included.
    if instance.depth > 1:
        send(payloads.PAGE_DELETED, payloads.page_data(instance))


def is_snippet(model):
    # Apps register snippets from their models or their wagtail_hooks modules, some of which are
    # imported only once Wagtail first looks for hooks: look then, not when this app is ready.
    hooks.search_for_hooks()
    return model in get_snippet_models()


def _saved(sender, instance, **kwargs):
    if sender is SiteSettings:
        send(payloads.SETTINGS_CHANGED, payloads.settings_data(instance))
    elif is_snippet(sender):
        send(payloads.SNIPPET_CHANGED, payloads.snippet_data(instance))


def _deleting(sender, instance, **kwargs):
    if is_snippet(sender):
        send(payloads.SNIPPET_CHANGED, payloads.snippet_data(instance))


def connect():
    page_published.connect(_published, dispatch_uid="psg-webhook-published")
    page_unpublished.connect(_unpublished, dispatch_uid="psg-webhook-unpublished")
    post_page_move.connect(_moved, dispatch_uid="psg-webhook-moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="psg-webhook-slug-changed")
    # Sender Page: Django sends pre_delete for the Page row of every deleted page, whatever its type.
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="psg-webhook-page-deleted")
    # Every model's saves and deletions, filtered by the snippet registry when they happen.
    post_save.connect(_saved, dispatch_uid="psg-webhook-saved")
    pre_delete.connect(_deleting, dispatch_uid="psg-webhook-deleting")
