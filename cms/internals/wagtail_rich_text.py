"""What the project relies on in Wagtail's rich text beyond its documented API, in one place.

Wagtail documents its rich text handlers (`features.register_link_type`, `get_model`,
`expand_db_attributes`), not the rewriters that apply them to stored text, nor
`extract_references_from_rich_text`, which finds the objects a text refers to through those handlers
(Wagtail's reference index uses it). The API renders and batches through them, so
tests/cms/test_internals_wagtail_rich_text.py fails if an upgrade changes what is relied on here.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.db.models import Model
from wagtail.rich_text import extract_references_from_rich_text, features
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter

# Given the attributes of every tag of one type in a text, the replacement for each tag.
BulkRule = Callable[[list[dict[str, str]]], list[str]]

# Larger ids are no row on any database, and would not fit a query parameter on some.
_MAX_ID = 2**63

# Links Wagtail leaves as they are when no rule names their type: their href is the link.
_SELF_DESCRIBED_LINKS = ("email", "external", "anchor")


def stored_id(value: object) -> int | None:
    """The id a stored link or embed names, or None when it names none a database could hold
    (not digits, digits other than ASCII's such as "²", zero, or past a big integer)."""
    text = str(value)
    if text.isascii() and text.isdigit() and 0 < int(text) < _MAX_ID:
        return int(text)
    return None


def linked_objects(html: str) -> Iterator[tuple[type[Model], int]]:
    """(model, id) of the objects stored rich text (database format) links to or embeds.

    Wagtail's page and document handlers fail on a link without an id; the links after one are
    then not found here (whoever renders them looks them up), and nothing fails.
    """
    try:
        for model, object_id, _model_path, _content_path in extract_references_from_rich_text(html):
            pk = stored_id(object_id)
            if pk is not None:
                yield model, pk
    except KeyError:
        return


class _LinkRewriter(LinkRewriter):
    """Wagtail's link rewriter, except that a link of a type no rule knows gets the given tag."""

    def __init__(self, rules: Mapping[str, BulkRule], unknown: str) -> None:
        super().__init__(bulk_rules=dict(rules))
        self.unknown = unknown

    def get_tag_replacements(self, tag_type: str | None, attrs_list: list[dict[str, str]]) -> Any:
        # Wagtail would write a bare <a> for it.
        if tag_type and tag_type not in self.bulk_rules and tag_type not in _SELF_DESCRIBED_LINKS:
            return [self.unknown] * len(attrs_list)
        return super().get_tag_replacements(tag_type, attrs_list)


def link_rewriter(rules: Mapping[str, BulkRule], unknown: str) -> Callable[[str], str]:
    """Rewrites the opening tag of each link in stored rich text.

    Each rule gets every link of its type in a text at once. A link of a type no rule names gets
    `unknown`, except email, external and anchor links, which stay as they are stored.
    """
    rewrite: Callable[[str], str] = _LinkRewriter(rules, unknown)
    return rewrite


def rewrite_embeds(html: str, rules: Mapping[str, BulkRule]) -> str:
    """Stored rich text with each `<embed embedtype=…/>` replaced by the rule for its type (or dropped)."""
    rewritten: str = EmbedRewriter(bulk_rules=dict(rules))(html)
    return rewritten


def media_embeds(attrs_list: list[dict[str, str]]) -> list[str]:
    """The HTML Wagtail renders for media embeds (its oEmbed finders), one per embed tag."""
    rendered: list[str] = features.get_embed_types()["media"].expand_db_attributes_many(attrs_list)
    return rendered
