"""cms/templates/wagtailforms/confirm_delete.html repeats Wagtail's content block to put a note
before the button: it must stay Wagtail's block, the note aside, or an upgrade's change to it would
be hidden."""

import re
from pathlib import Path

import wagtail.contrib.forms

OURS = Path(__file__).resolve().parents[2] / "cms" / "templates" / "wagtailforms" / "confirm_delete.html"
WAGTAILS = Path(wagtail.contrib.forms.__file__).parent / "templates" / "wagtailforms" / "confirm_delete.html"
NOTE = re.compile(r"\{% if page\.deleting_submissions_note %\}.*?\{% endif %\}", re.DOTALL)


BLOCK = re.compile(r"\{% block content %\}(.*?)\{% endblock %\}", re.DOTALL)


def content_block(text):
    return " ".join(BLOCK.search(text).group(1).split())


def test_the_copied_content_block_is_wagtails_with_the_note_added():
    ours = OURS.read_text(encoding="utf-8")
    assert NOTE.search(ours), "the note is gone: is the copy still needed?"
    assert content_block(NOTE.sub("", ours)) == content_block(WAGTAILS.read_text(encoding="utf-8"))
