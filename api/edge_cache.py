"""The HTTP cache tier in front of the app (Varnish, a CDN), told to forget after every content change.

Every change that starts a new content generation (api/signals.py) also calls `forget_after_commit()`.
Once the transaction commits, and before the editor's request returns, a new generation starts
again (an answer computed while the transaction was open, from the rows before it, may have been
kept under the generation its first write started) and the tier is purged, so the very next request
through it is answered afresh. What is purged:

- every GraphQL answer (`/graphql*`, a prefix in CloudFront's notation, which
  docker/varnish/default.vcl understands too): any change may show in any of them, as the app's own
  response cache assumes;
- the paths content apps register with `register_purged_paths` (the news feeds and embed page);
- media whose answer changed: an image's renditions (at MEDIA_BASE_URL's host when set), a
  document, the files of a collection whose privacy changed;
- for a CDN in front of the frontend (FRONTEND_URL's host), the frontend URLs of every path the
  publish webhooks name (cms/revalidation.py): a changed page, its listings, home, feeds, sitemap
  and every live page referring to it; the pages using a changed image or document; the pages
  showing a changed snippet. (What Wagtail's frontend cache app would purge, the page's URL on the CMS, only
  redirects to the frontend here and is never cached, so that app is not installed.)

Purges go through wagtail.contrib.frontend_cache's backends (WAGTAILFRONTENDCACHE, built from the
environment in cms/settings/base.py), each given the URLs of the hosts it serves (its HOSTNAMES).
The Varnish next to the app (`VarnishBackend`) is purged there and then, within a short timeout;
CDN backends through Wagtail's purge task (run at once, or by a worker when TASKS has one). A tier
that does not answer costs a logged error, never the editor's save.
"""

import datetime
import http.client
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http.request import validate_host
from django.urls import reverse
from django.utils.module_loading import import_string
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends import BaseBackend, CloudfrontBackend
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from api.media import media_url
from cms import revalidation
from cms.generation import bump_generation
from cms.models import SiteSettings
from cms.paths import frontend_url

logger = logging.getLogger("api.edge_cache")

PATHS_HOOK = "register_purged_paths"


def register_purged_paths(paths: Callable[[], Iterable[str]]) -> None:
    """Have the tier forget `paths()` (paths on the CMS, such as a feed) after every content change;
    call it from the app's wagtail_hooks.py."""
    hooks.register(PATHS_HOOK, paths)


class VarnishBackend(BaseBackend):
    """Wagtail's HTTP purger, within a timeout and over one connection: the editor waits for it."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.location = params["LOCATION"]
        self.https = location.scheme == "https"
        self.host = location.hostname or "localhost"
        self.port = location.port or (443 if self.https else 80)
        self.timeout = float(params.get("TIMEOUT", 2))

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls: Iterable[str]) -> None:
        urls = list(urls)
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        done = 0
        try:
            for url in urls:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"more than {self.timeout:g} s")
                parts = urlsplit(url)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                connection.request("PURGE", path, headers={"Host": parts.netloc})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    logger.error("Varnish did not purge %s: %s %s", url, response.status, response.reason)
                done += 1
        except (OSError, http.client.HTTPException) as exc:
            logger.error(
                "Varnish at %s did not answer (%s): %d of %d URLs not purged, left to expire.",
                self.location,
                exc or type(exc).__name__,
                len(urls) - done,
                len(urls),
            )
        finally:
            connection.close()


# Backends that read a trailing `*` as "every path under this prefix"; the others get no such URL.
_PREFIX_BACKENDS: tuple[type, ...] = (VarnishBackend, CloudfrontBackend)


class _Pending(threading.local):
    """URLs noted by this thread's open transaction, purged when it commits."""

    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.noted = False


_pending = _Pending()


def forget_after_commit(urls: Iterable[str] = ()) -> None:
    """After the current transaction commits (at once outside one): a new content generation, and
    the tier purged of every GraphQL answer, the registered paths and `urls`."""
    _pending.urls.update(urls)
    _pending.noted = True
    # One callback per change, the first to run takes everything; a rolled-back transaction's
    # URLs are purged with the next commit's, which costs a few needless purges at worst.
    transaction.on_commit(_forget, robust=True)


def _forget() -> None:
    if not _pending.noted:
        return
    urls = _pending.urls
    _pending.urls, _pending.noted = set(), False
    try:
        bump_generation()
    except Exception:
        # The cache is unreachable, so no stale answer is read from it either; purge all the same.
        logger.exception("No new content generation after the commit.")
    if configured():
        purge([*urls, *content_urls()])


def configured() -> bool:
    """Whether any cache tier is configured (otherwise no URL needs working out)."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def cms_url(path: str) -> str:
    """An absolute URL on the CMS (WAGTAILADMIN_BASE_URL) for a path; absolute URLs as they are."""
    return urljoin(str(settings.WAGTAILADMIN_BASE_URL), path)


def content_urls() -> list[str]:
    """What any content change may alter: every GraphQL answer and every registered path."""
    paths = [reverse("graphql").rstrip("/") + "*"]
    for registered in hooks.get_hooks(PATHS_HOOK):
        paths.extend(registered())
    return [cms_url(path) for path in paths]


def purge(urls: Iterable[str]) -> None:
    """Purge `urls` from every configured backend that serves their host."""
    urls = sorted(set(urls))
    for name, params in settings.WAGTAILFRONTENDCACHE.items():
        backend_class = import_string(params["BACKEND"])
        prefixes = issubclass(backend_class, _PREFIX_BACKENDS)
        # As Wagtail routes URLs to backends (BaseBackend.invalidates_hostname).
        hostnames = params.get("HOSTNAMES", ["*"])
        mine = [
            url
            for url in urls
            if validate_host(urlsplit(url).netloc, hostnames) and (prefixes or not url.endswith("*"))
        ]
        if not mine:
            continue
        try:
            if issubclass(backend_class, VarnishBackend):
                backend_class({key: value for key, value in params.items() if key != "BACKEND"}).purge_batch(
                    mine
                )
            else:
                purge_urls_from_cache(mine, backends=[name])
        except Exception:
            logger.exception("The %s cache was not purged.", name)


# --- What a change alters beyond the GraphQL answers and the registered paths ---------------------
#
# The frontend paths are those the publish webhooks name (cms/revalidation.py): the page, its
# listings, home, feeds and sitemap, and every live page that refers to it. They are worked out when
# the signal fires, inside the change's transaction, while a deleted object's references still exist.


def _purge_frontend(paths: Callable[[], revalidation.Paths]) -> None:
    # Without FRONTEND_URL there is no host to purge them from, and nothing to work out.
    if configured() and settings.FRONTEND_URL:
        forget_after_commit(_frontend_urls(paths().paths))


def _frontend_urls(paths: Iterable[str]) -> list[str]:
    urls = [frontend_url(path) for path in paths]
    return [url for url in urls if url and "://" in url]


def _page_paths_changed(sender: type[Model], instance: Page, **kwargs: Any) -> None:
    _purge_frontend(lambda: revalidation.page_paths(instance))


def _page_moved(
    sender: type[Model],
    instance: Page,
    parent_page_before: Page,
    parent_page_after: Page,
    url_path_before: str,
    url_path_after: str,
    **kwargs: Any,
) -> None:
    _purge_frontend(
        lambda: revalidation.moved_paths(
            instance, parent_page_before, parent_page_after, url_path_before, url_path_after
        )
    )


def _slug_changed(sender: type[Model], instance: Page, instance_before: Page, **kwargs: Any) -> None:
    parent = instance.get_parent()
    _purge_frontend(
        lambda: revalidation.moved_paths(
            instance, parent, parent, instance_before.url_path, instance.url_path
        )
    )


def _page_privacy_changed(sender: type[Model], instance: PageViewRestriction, **kwargs: Any) -> None:
    page = Page.objects.filter(pk=instance.page_id).first() if configured() else None
    if page is not None:
        _purge_frontend(lambda: revalidation.privacy_paths(page))


def _snippet_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if sender is SiteSettings:
        _purge_frontend(revalidation.site_paths)
    elif configured() and revalidation.is_snippet(sender):
        _purge_frontend(lambda: revalidation.snippet_paths(instance))


def _image_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if configured():
        # A rendition keeps its URL when its image moves into a restricted collection.
        forget_after_commit(media_url(rendition.url) for rendition in instance.renditions.only("file"))
        _purge_frontend(lambda: revalidation.media_paths([instance]))


def _media_deleting(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    # Before the row goes, while the pages using it are still in the reference index.
    _purge_frontend(lambda: revalidation.media_paths([instance]))


def _rendition_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if configured():
        forget_after_commit([media_url(instance.url)])


def _document_changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if configured():
        forget_after_commit([cms_url(instance.url)])


def _document_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    _document_changed(sender, instance)
    _purge_frontend(lambda: revalidation.media_paths([instance]))


def _collection_privacy_changed(
    sender: type[Model], instance: CollectionViewRestriction, **kwargs: Any
) -> None:
    if not configured():
        return
    subtree = Collection.objects.descendant_of(instance.collection, inclusive=True)
    documents = get_document_model().objects.filter(collection__in=subtree).only("id", "file")
    renditions = (
        get_image_model().get_rendition_model().objects.filter(image__collection__in=subtree).only("file")
    )
    forget_after_commit(
        [*(cms_url(item.url) for item in documents), *(media_url(item.url) for item in renditions)]
    )
    _purge_frontend(lambda: revalidation.collection_paths(instance.collection))


def _schedule_reached(sender: Any, since: datetime.datetime, until: datetime.datetime, **kwargs: Any) -> None:
    # Nothing was saved, so no content change purged: an ended event leaves the upcoming listings of
    # GraphQL answers and the frontend's pages.
    paths = revalidation.clock_paths(since, until) if configured() else None
    if paths is not None and paths.paths:
        forget_after_commit()
        _purge_frontend(lambda: paths)


def connect() -> None:
    for page_signal in (page_published, page_unpublished):
        page_signal.connect(_page_paths_changed, dispatch_uid=f"psg-edge-{page_signal!r}")
    post_page_move.connect(_page_moved, dispatch_uid="psg-edge-moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="psg-edge-slug-changed")
    pre_delete.connect(_page_paths_changed, sender=Page, dispatch_uid="psg-edge-page-deleted")
    revalidation.schedule_reached.connect(_schedule_reached, dispatch_uid="psg-edge-schedule")
    # Every model's saves and deletions, filtered by the snippet registry when they happen.
    post_save.connect(_snippet_changed, dispatch_uid="psg-edge-snippet-saved")
    pre_delete.connect(_snippet_changed, dispatch_uid="psg-edge-snippet-deleting")
    image_model = get_image_model()
    post_save.connect(_image_saved, sender=image_model, dispatch_uid="psg-edge-image")
    pre_delete.connect(_media_deleting, sender=image_model, dispatch_uid="psg-edge-image-deleting")
    post_delete.connect(
        _rendition_deleted, sender=image_model.get_rendition_model(), dispatch_uid="psg-edge-rendition"
    )
    document_model = get_document_model()
    post_save.connect(_document_saved, sender=document_model, dispatch_uid="psg-edge-doc-saved")
    pre_delete.connect(_media_deleting, sender=document_model, dispatch_uid="psg-edge-doc-deleting")
    post_delete.connect(_document_changed, sender=document_model, dispatch_uid="psg-edge-doc-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _collection_privacy_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"psg-edge-privacy-{signal!r}",
        )
        signal.connect(
            _page_privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"psg-edge-page-privacy-{signal!r}",
        )
