"""When a preview token still shows its draft, and the stored previews that die with their page.

wagtail-headless-preview signs `id=<page id>` (or `parent_id=<id>;page_type=<model>` for a page not
created yet) with a timestamp and stores the draft, as the page's JSON, in a PagePreview row keyed
by the token (read back in cms/internals/). A token shows its draft only while the page is as it
was when the token was issued:

- the page still exists (for a new page: its parent does) and lies inside a site;
- it has not moved (its tree path is the one stored with the draft);
- it has not been unpublished since (a draft of a live page, now taken down);
- it has not been published in a later second than the token's: the draft it showed is then
  either live (nothing left to preview) or replaced by newer work (a new preview is needed). A
  preview pressed after that publish gets a new token, which works.

The signal receivers below delete the stored previews when a page is deleted, published,
unpublished or moved (exactly, whatever the timing), and `token_page()` checks the rules again when
a token is used, which covers changes made where the receivers did not run (another process
without them, a bulk update). Publishing tokens' timestamps have one-second resolution, hence the
"later second" above; within the same second the receivers decide.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_headless_preview.models import PagePreview

from cms.internals.django_signing import unsign_with_timestamp
from cms.internals.headless_preview import (
    preview_signer,
    previewed_page_id,
    previewed_parent_id,
    unverified_identifier,
)
from cms.paths import site_root_paths

logger = logging.getLogger("api.previews")


class InvalidToken(Exception):
    """The token shows nothing: forged, expired, unknown or no longer current (the reason is logged)."""


def _issued(token: str) -> tuple[str, datetime.datetime]:
    """The token's signed identifier and when it was issued; InvalidToken if forged or expired."""
    try:
        return unsign_with_timestamp(preview_signer(), token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, IndexError) as exc:
        raise InvalidToken(type(exc).__name__) from None


def _in_a_site(url_path: str) -> bool:
    return any(url_path.startswith(root.root_path) for root in site_root_paths())


def _check_current(page: Page, identifier: str, issued: datetime.datetime) -> None:
    """Raise InvalidToken unless the draft in `page` is still what the token may show."""
    page_id, parent_id = previewed_page_id(identifier), previewed_parent_id(identifier)
    if page_id is not None:
        if page.pk != page_id:
            raise InvalidToken("the stored draft is of another page")
        current = Page.objects.filter(pk=page_id).values("path", "url_path", "live", "last_published_at")
        current = current.first()
        if current is None:
            raise InvalidToken("the page was deleted")
        if current["path"] != page.path:
            raise InvalidToken("the page was moved")
        if page.live and not current["live"]:
            raise InvalidToken("the page was unpublished")
        published = current["last_published_at"]
        if published is not None and published >= issued + datetime.timedelta(seconds=1):
            raise InvalidToken("the page was published after the preview")
        url_path = current["url_path"]
    elif parent_id is not None:
        if page.pk is not None:
            raise InvalidToken("the stored draft is of an existing page")
        url_path = Page.objects.filter(pk=parent_id).values_list("url_path", flat=True).first()
        if url_path is None:
            raise InvalidToken("the parent page was deleted")
    else:
        raise InvalidToken("unknown identifier")
    if not _in_a_site(url_path):
        raise InvalidToken("the page is outside every site")


def token_page(token: str) -> Page:
    """The draft `token` shows, as a page of its specific type; InvalidToken otherwise."""
    identifier, issued = _issued(token)
    try:
        page = PagePreview.objects.get(token=token).as_page()
    except (PagePreview.DoesNotExist, ValueError, LookupError, AttributeError) as exc:
        raise InvalidToken(type(exc).__name__) from None
    _check_current(page, identifier, issued)
    return page


def _token_page_id(token: str) -> tuple[str, int] | None:
    """("id", page id) or ("parent", parent id) from a stored token's (unverified) identifier."""
    identifier = unverified_identifier(token)
    if (page_id := previewed_page_id(identifier)) is not None:
        return ("id", page_id)
    if (parent_id := previewed_parent_id(identifier)) is not None:
        return ("parent", parent_id)
    return None


def forget_previews(page_ids: set[int], *, as_parent: bool = False) -> int:
    """Delete the stored previews of these pages (and, with as_parent, of new pages under them)."""
    if not page_ids:
        return 0
    kinds = {"id", "parent"} if as_parent else {"id"}
    # The table holds at most a day of previews (the package deletes older rows on every preview).
    doomed = [
        preview_id
        for preview_id, token in PagePreview.objects.values_list("id", "token")
        if (key := _token_page_id(token)) and key[0] in kinds and key[1] in page_ids
    ]
    if doomed:
        PagePreview.objects.filter(id__in=doomed).delete()
    return len(doomed)


def _page_deleted(sender: type, instance: Page, **kwargs: object) -> None:
    forget_previews({instance.pk}, as_parent=True)


def _published_or_unpublished(sender: type, instance: Page, **kwargs: object) -> None:
    forget_previews({instance.pk})


def _moved(sender: type, instance: Page, **kwargs: object) -> None:
    # Every page under it has a new path too; the instance sent may still hold the old path.
    moved = Page.objects.filter(pk=instance.pk).first()
    if moved is not None:
        forget_previews(set(Page.objects.descendant_of(moved, inclusive=True).values_list("pk", flat=True)))


def connect() -> None:
    # Sender Page: Django sends post_delete for the Page row of every deleted page, whatever its type.
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="psg-previews-page-deleted")
    page_published.connect(_published_or_unpublished, dispatch_uid="psg-previews-published")
    page_unpublished.connect(_published_or_unpublished, dispatch_uid="psg-previews-unpublished")
    post_page_move.connect(_moved, dispatch_uid="psg-previews-moved")
