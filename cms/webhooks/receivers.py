"""Which changes send a webhook: page publish, unpublish, move, delete; snippet and settings saves.

Saving a draft sends nothing (no publish signal). Scheduled go-live and expiry (`publish_scheduled`)
go through the same publish and unpublish actions, so they send page.published and page.unpublished.
"""

from django.db.models.signals import post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.webhooks import payloads
from cms.webhooks.delivery import send


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


def _snippet_changed(sender, instance, **kwargs):
    send(payloads.SNIPPET_CHANGED, payloads.snippet_data(instance))


def _settings_changed(sender, instance, **kwargs):
    send(payloads.SETTINGS_CHANGED, payloads.settings_data(instance))


def connect():
    from cms.models import NavigationMenu, SiteSettings
    from events.models import Venue
    from news.models import Topic

    page_published.connect(_published, dispatch_uid="psg-webhook-published")
    page_unpublished.connect(_unpublished, dispatch_uid="psg-webhook-unpublished")
    post_page_move.connect(_moved, dispatch_uid="psg-webhook-moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="psg-webhook-slug-changed")
    # Sender Page: Django sends pre_delete for the Page row of every deleted page, whatever its type.
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="psg-webhook-page-deleted")
    for model in (Venue, Topic, NavigationMenu):
        post_save.connect(_snippet_changed, sender=model, dispatch_uid=f"psg-webhook-saved-{model.__name__}")
        pre_delete.connect(
            _snippet_changed, sender=model, dispatch_uid=f"psg-webhook-deleted-{model.__name__}"
        )
    post_save.connect(_settings_changed, sender=SiteSettings, dispatch_uid="psg-webhook-settings")
