"""What the project relies on in Wagtail's rich text beyond its documented API.

Wagtail finds the objects stored rich text refers to (for its reference index) through the link and
embed handlers registered as rich text features, so a new link type is found without naming it.
`wagtail.rich_text.extract_references_from_rich_text` does that; it is public in the module but not
documented, so tests/cms/test_internals_wagtail_rich_text.py fails if an upgrade changes what it yields.
"""

from collections.abc import Iterator

from django.db.models import Model
from wagtail.rich_text import extract_references_from_rich_text

# Larger ids are no row on any database, and would not fit a query parameter on some.
_MAX_ID = 2**63


def linked_objects(html: str) -> Iterator[tuple[type[Model], int]]:
    """(model, id) of the objects stored rich text (database format) links to or embeds.

    Wagtail's page and document handlers fail on a link without an id; the links after one are
    then not found here (whoever renders them looks them up), and nothing fails.
    """
    try:
        for model, object_id, _model_path, _content_path in extract_references_from_rich_text(html):
            text = str(object_id)
            if text.isascii() and text.isdigit() and 0 < int(text) < _MAX_ID:
                yield model, int(text)
    except KeyError:
        return
