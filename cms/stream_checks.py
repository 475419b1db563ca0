"""Stored StreamField JSON checked block by block before the API reads it.

Rows can be written by a migration, an import or a script, not only by the admin's forms, so a
body may hold blocks of no known type, without an id, with a value of the wrong shape (a number
for a paragraph, a string for an image's id, an unknown heading level) or missing altogether.
Wagtail turns such raw data into values only when they are read, and the API would fail on them
with a 500. Here a block whose raw data is not what the admin writes is left out, on its own: the
rest of the body is served.
"""

import logging

from wagtail.blocks import StreamValue

logger = logging.getLogger("cms.stream_checks")


def _text(value) -> bool:
    return isinstance(value, str)


def _optional_text(value) -> bool:
    return value is None or isinstance(value, str)


def _optional_id(value) -> bool:
    return value is None or value == "" or (type(value) is int and 0 < value < 2**63)


def _struct(*, required_text=(), optional_text=(), ids=(), choices=None):
    def check(value) -> bool:
        if not isinstance(value, dict):
            return False
        return (
            all(_text(value.get(name)) for name in required_text)
            and all(_optional_text(value.get(name)) for name in optional_text)
            and all(_optional_id(value.get(name)) for name in ids)
            and all(value.get(name) in allowed for name, allowed in (choices or {}).items())
        )

    return check


# The raw value each block type of cms.blocks.BodyBlock stores, as the admin writes it.
RAW_VALUE_CHECKS = {
    "paragraph": _text,
    "heading": _struct(required_text=("text",), choices={"level": {"h2", "h3", "h4"}}),
    "image": _struct(optional_text=("alt_text", "caption"), ids=("image",)),
    "quote": _struct(required_text=("quote",), optional_text=("attribution",)),
    "embed": _text,
    "document": _struct(optional_text=("label",), ids=("document",)),
    "button": _struct(required_text=("label",), optional_text=("url", "email"), ids=("page",)),
}


def well_formed_raw_blocks(stream) -> list[dict]:
    """The raw blocks of `stream` whose shape the API can serve, each with a string id."""
    raw = getattr(stream, "raw_data", None)
    if raw is None:
        return []
    try:
        items = list(raw)
    except TypeError:
        return []
    known = getattr(stream.stream_block, "child_blocks", {})
    kept = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "value" not in item:
            continue
        block_type = item.get("type")
        check = RAW_VALUE_CHECKS.get(block_type) if isinstance(block_type, str) else None
        if check is None or block_type not in known or not check(item["value"]):
            continue
        block_id = item.get("id")
        if not isinstance(block_id, str) or not block_id:
            # Blocks written without an id (older imports) still need a stable one.
            block_id = str(block_id) if type(block_id) is int else f"block-{index}"
        kept.append({"type": block_type, "value": item["value"], "id": block_id})
    if len(kept) != len(items):
        logger.warning("Left out %d malformed block(s) of a stored body", len(items) - len(kept))
    return kept


def served_blocks(stream) -> list:
    """The blocks of `stream` the API serves: the well-formed ones, as bound blocks."""
    if stream is None or not hasattr(stream, "stream_block"):
        return []
    checked = StreamValue(stream.stream_block, well_formed_raw_blocks(stream), is_lazy=True)
    blocks = []
    for index in range(len(checked)):
        try:
            blocks.append(checked[index])
        except (TypeError, ValueError, LookupError, AttributeError):
            logger.warning("Left out a block of a stored body that could not be read", exc_info=True)
    return blocks
