"""PSG's demo content: the seed as data (psg_content.json) and small helpers to turn it into pages.

The content lives in the JSON file only; `python manage.py load_demo_content` loads it (see cms.demo.loader).
"""

import html
import json
import re
from pathlib import Path

DATA_FILE = Path(__file__).with_name("psg_content.json")

SUMMARY_MAX_LENGTH = 300

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def load_data(path=DATA_FILE):
    """The demo content as a dict."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def truncate_at_sentence(text, limit=SUMMARY_MAX_LENGTH):
    """The longest run of whole sentences of `text` that fits in `limit` characters.

    A first sentence longer than the limit is cut at a word boundary and ends with “…”.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    summary = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{summary} {sentence}" if summary else sentence
        if len(candidate) > limit:
            break
        summary = candidate
    if not summary:
        cut = text[: limit - 1]
        if not text[limit - 1].isspace():
            cut = cut.rsplit(" ", 1)[0]  # drop the partial word
        summary = cut.rstrip(" ,;:") + "…"
    return summary


def paragraph_html(lines, href_attrs=None):
    """Wagtail database rich text for one paragraph: lines joined by line breaks, optionally all one link.

    `href_attrs` are the attributes of the link, e.g. `linktype="page" id="3"`.
    """
    content = "<br/>".join(html.escape(line, quote=False) for line in lines)
    if href_attrs:
        content = f"<a {href_attrs}>{content}</a>"
    return f"<p>{content}</p>"
