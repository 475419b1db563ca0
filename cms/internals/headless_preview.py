"""wagtail-headless-preview's tokens, read for the page they show.

`HeadlessPreviewMixin.create_page_preview()` signs `id=<page id>` (a saved page) or
`parent_id=<parent id>;page_type=<app.Model>` (a page not created yet) with the signer
`get_preview_signer()` returns, and stores the draft in a PagePreview row under that token. The
package reads a token back only to fetch its row (`get_page_from_preview_token`, which checks no
age); what a token identifies is not part of its API, so it is parsed here.

tests/internals/test_headless_preview.py fails when an upgrade changes this.
"""

from django.core import signing
from wagtail_headless_preview.models import HeadlessPreviewMixin


def preview_signer() -> signing.TimestampSigner:
    """The signer of the package's preview tokens."""
    signer: signing.TimestampSigner = HeadlessPreviewMixin.get_preview_signer()
    return signer


def previewed_page_id(identifier: str) -> int | None:
    """The id of the saved page a token's identifier names, if it names one."""
    if identifier.startswith("id=") and identifier[3:].isdigit():
        return int(identifier[3:])
    return None


def previewed_parent_id(identifier: str) -> int | None:
    """The parent's id of the page not created yet that a token's identifier names, if it names one."""
    head = identifier.split(";", 1)[0]
    if head.startswith("parent_id=") and head[10:].isdigit():
        return int(head[10:])
    return None


def unverified_identifier(token: str) -> str:
    """The identifier a stored token carries, read without checking its signature."""
    return token.split(preview_signer().sep, 1)[0]
