"""Rich text as the frontend needs it: links to frontend paths, no Wagtail markup, hidden pages unlinked,
and nothing but the editor's own markup (cms.sanitise), whatever is stored."""

import re
import secrets

import graphene
from django.conf import settings
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText, features
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter

from cms.paths import frontend_url, path_for_url_path
from cms.prefetch import prefetched_objects
from cms.sanitise import clean_rich_text
from cms.visibility import load_public_page_paths, public_media

_UNLINK_MARK = '<a data-psg-unlink="">'
_UNLINK_RE = re.compile(r'<a data-psg-unlink="">(.*?)</a>', re.DOTALL)


def _page_links(attrs_list):
    ids = [int(attrs["id"]) if str(attrs.get("id")).isdigit() else None for attrs in attrs_list]
    url_paths = load_public_page_paths([pk for pk in ids if pk is not None])
    tags = []
    for pk in ids:
        url_path = url_paths.get(pk) if pk is not None else None
        path = path_for_url_path(url_path)
        tags.append(f'<a href="{escape(frontend_url(path))}">' if path else _UNLINK_MARK)
    return tags


def _document_links(attrs_list):
    ids = [int(attrs["id"]) if str(attrs.get("id")).isdigit() else None for attrs in attrs_list]
    documents = prefetched_objects(get_document_model(), [pk for pk in ids if pk is not None])
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    tags = []
    for pk in ids:
        document = public_media(documents.get(pk))
        tags.append(f'<a href="{escape(base + document.url)}">' if document else _UNLINK_MARK)
    return tags


def _embeds(attrs_list):
    return features.get_embed_types()["media"].expand_db_attributes_many(attrs_list)


class _ApiLinkRewriter(LinkRewriter):
    def get_tag_replacements(self, tag_type, attrs_list):
        # Wagtail turns unknown link types into a bare <a>; the API drops the link instead.
        if tag_type and tag_type not in self.bulk_rules and tag_type not in ("email", "external", "anchor"):
            return [_UNLINK_MARK] * len(attrs_list)
        return super().get_tag_replacements(tag_type, attrs_list)


_link_rewriter = _ApiLinkRewriter(bulk_rules={"page": _page_links, "document": _document_links})


def render_rich_text(value):
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

    def embed_placeholders(attrs_list):
        start = len(fragments)
        fragments.extend(_embeds(attrs_list))
        return [f"[{placeholder}{index}]" for index in range(start, len(fragments))]

    linked = _UNLINK_RE.sub(r"\1", _link_rewriter(source))
    html = clean_rich_text(EmbedRewriter(bulk_rules={"media": embed_placeholders})(linked))
    if fragments:
        html = re.sub(rf"\[{placeholder}(\d+)\]", lambda match: fragments[int(match.group(1))], html)
    return html


class RichTextHTML(graphene.Scalar):
    """Rich text as HTML: internal links point at the frontend, links to non-public pages are plain text."""

    @staticmethod
    def serialize(value):
        return render_rich_text(value)

    @staticmethod
    def parse_value(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return getattr(node, "value", None)
