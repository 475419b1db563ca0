"""Stored StreamField JSON checked block by block, against the block definitions, before the API reads it.

Rows can be written by a migration, an import or a script, not only by the admin's forms, so a
body may hold blocks of no known type, without an id, with a value of the wrong shape (a number
for a paragraph, a string for an image's id, an unknown heading level) or missing altogether.
Wagtail turns such raw data into values only when they are read, and the API would fail on them
with a 500. Here a block whose raw data is not what the admin writes is left out, on its own: the
rest of the body is served.
"""

import logging
from typing import Any

from wagtail import blocks
from wagtail.blocks import StreamValue

logger = logging.getLogger("cms.stream_checks")

# Blocks whose raw value is a string (EmbedBlock is a URLBlock: its raw value is the URL).
_TEXT_BLOCKS = (
    blocks.CharBlock,
    blocks.TextBlock,
    blocks.RegexBlock,
    blocks.URLBlock,
    blocks.EmailBlock,
    blocks.RichTextBlock,
    blocks.RawHTMLBlock,
)


def _optional_id(value: Any) -> bool:
    return value is None or value == "" or (type(value) is int and 0 < value < 2**63)


def list_item_value(item: Any) -> Any:
    """The raw value of a ListBlock item, stored either bare or as {"type": "item", "value", "id"}."""
    if isinstance(item, dict) and item.get("type") == "item" and "value" in item and "id" in item:
        return item["value"]
    return item


def is_well_formed(block: blocks.Block, value: Any) -> bool:
    """Whether `value` has the shape of `block`'s raw data as the admin writes it."""
    if isinstance(block, blocks.StructBlock):
        return isinstance(value, dict) and all(
            is_well_formed(child, value.get(name)) for name, child in block.child_blocks.items()
        )
    if isinstance(block, blocks.ListBlock):
        return isinstance(value, list) and all(
            is_well_formed(block.child_block, list_item_value(item)) for item in value
        )
    if isinstance(block, blocks.StreamBlock):
        return isinstance(value, list) and all(
            isinstance(item, dict)
            and item.get("type") in block.child_blocks
            and is_well_formed(block.child_blocks[item["type"]], item.get("value"))
            for item in value
        )
    if isinstance(block, blocks.ChooserBlock):
        return _optional_id(value)
    if isinstance(block, blocks.ChoiceBlock):
        if value is None or value == "":
            return not block.required
        return isinstance(value, str) and block.field.valid_value(value)
    if isinstance(block, _TEXT_BLOCKS):
        return isinstance(value, str) or (value is None and not block.required)
    # Other kinds are left to Wagtail; `served_blocks` leaves out a block it cannot read.
    return True


def well_formed_raw_blocks(stream: Any) -> list[dict[str, Any]]:
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
        if not isinstance(block_type, str) or block_type not in known:
            continue
        if not is_well_formed(known[block_type], item["value"]):
            continue
        block_id = item.get("id")
        if not isinstance(block_id, str) or not block_id:
            # Blocks written without an id (older imports) still need a stable one.
            block_id = str(block_id) if type(block_id) is int else f"block-{index}"
        kept.append({"type": block_type, "value": item["value"], "id": block_id})
    if len(kept) != len(items):
        logger.warning("Left out %d malformed block(s) of a stored body", len(items) - len(kept))
    return kept


def served_blocks(stream: Any) -> list[Any]:
    """The blocks of `stream` the API serves: the well-formed ones, as bound blocks."""
    if stream is None or not hasattr(stream, "stream_block"):
        return []
    checked = StreamValue(stream.stream_block, well_formed_raw_blocks(stream), is_lazy=True)
    served = []
    for index in range(len(checked)):
        try:
            served.append(checked[index])
        except (TypeError, ValueError, LookupError, AttributeError):
            logger.warning("Left out a block of a stored body that could not be read", exc_info=True)
    return served
