"""Rich text as the frontend needs it: links to frontend paths, no Wagtail markup, hidden pages unlinked,
and nothing but the editor's own markup (cms.sanitise), whatever is stored."""

import contextvars
import html as html_module
import re
import secrets
from typing import Any

import graphene
from django.conf import settings
from django.utils.html import escape
from graphql import ValueNode
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.rich_text import RichText

from api.serving import links_to_hidden_pages
from api.visibility import load_public_page_paths, public_media
from cms.internals.wagtail_rich_text import link_rewriter, media_embeds, rewrite_embeds, stored_id
from cms.paths import frontend_url, path_for_url_path
from cms.request_objects import objects_by_id
from cms.sanitise import clean_rich_text

_UNLINK_MARK = '<a data-psg-unlink="">'
_UNLINK_RE = re.compile(r'<a data-psg-unlink="">(.*?)</a>', re.DOTALL)
# Links as the sanitiser writes them: `href` is the only attribute it keeps on `a`, and no link
# holds another.
_LINK_RE = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
# The links this render resolved itself (public pages, public documents): no need to check again.
_resolved: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "psg_rich_text_resolved", default=None
)


def _remember(href: str) -> str:
    resolved = _resolved.get()
    if resolved is not None:
        resolved.add(href)
    return href


def _page_links(attrs_list: list[dict[str, str]]) -> list[str]:
    ids = [stored_id(attrs.get("id")) for attrs in attrs_list]
    url_paths = load_public_page_paths([pk for pk in ids if pk is not None])
    tags = []
    for pk in ids:
        url_path = url_paths.get(pk) if pk is not None else None
        path = path_for_url_path(url_path)
        tags.append(f'<a href="{escape(_remember(frontend_url(path)))}">' if path else _UNLINK_MARK)
    return tags


def _document_links(attrs_list: list[dict[str, str]]) -> list[str]:
    ids = [stored_id(attrs.get("id")) for attrs in attrs_list]
    documents = objects_by_id(get_document_model(), [pk for pk in ids if pk is not None])
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    tags = []
    for pk in ids:
        found: AbstractDocument | None = documents.get(pk) if pk is not None else None
        document = public_media(found)
        tags.append(f'<a href="{escape(_remember(base + document.url))}">' if document else _UNLINK_MARK)
    return tags


# A link of a type the API does not know (Wagtail would write a bare <a>) is dropped, its text kept.
_link_rewriter = link_rewriter({"page": _page_links, "document": _document_links}, unknown=_UNLINK_MARK)


def render_rich_text(value: str | RichText | None) -> str | None:
    """Database rich text (str or RichText) to the HTML the API serves.

    Links are resolved first, then everything goes through the sanitiser; embeds (HTML from
    Wagtail's oEmbed finders, trusted as such) are put back in afterwards, at placeholders whose
    random part stored text cannot know in advance.
    """
    if value is None:
        return None
    source = value.source if isinstance(value, RichText) else str(value)
    placeholder = f"psg-embed-{secrets.token_hex(8)}-"
    fragments: list[str] = []

    def embed_placeholders(attrs_list: list[dict[str, str]]) -> list[str]:
        start = len(fragments)
        fragments.extend(media_embeds(attrs_list))
        return [f"[{placeholder}{index}]" for index in range(start, len(fragments))]

    resolved: set[str] = set()
    reset = _resolved.set(resolved)
    try:
        linked = _UNLINK_RE.sub(r"\1", _link_rewriter(source))
    finally:
        _resolved.reset(reset)
    html = clean_rich_text(rewrite_embeds(linked, {"media": embed_placeholders}))
    html = _unlink_hidden_pages(html, resolved)
    if fragments:
        html = re.sub(rf"\[{placeholder}(\d+)\]", lambda match: fragments[int(match.group(1))], html)
    return html


def _unlink_hidden_pages(html: str, resolved: set[str]) -> str:
    """Typed links (`https://frontend…/news/draft/`, `/news/draft/`) to a hidden page become text,
    like internal links to one: the link must not give the slug away."""
    typed = {html_module.unescape(match.group(1)) for match in _LINK_RE.finditer(html)} - resolved
    hidden = links_to_hidden_pages(typed) if typed else set()
    if not hidden:
        return html
    return _LINK_RE.sub(
        lambda match: match.group(2) if html_module.unescape(match.group(1)) in hidden else match.group(0),
        html,
    )


class RichTextHTML(graphene.Scalar):
    """Rich text as HTML: internal links point at the frontend, links to non-public pages are plain text."""

    @staticmethod
    def serialize(value: str | RichText | None) -> str | None:
        return render_rich_text(value)

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ValueNode, _variables: dict[str, Any] | None = None) -> Any:
        return getattr(node, "value", None)
