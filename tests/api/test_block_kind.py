"""A body block's `kind` is an enum, added beside the `blockType` string, which stays as it was.

Changing `blockType`'s type would break every client generated from the schema (a String! field
turned enum changes the generated type); so `kind` is new and `blockType` is deprecated in its
favour, answering the same block names as before.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from graphql import build_schema

from cms.blocks import BodyBlock
from tests.test_frontend_guide import SCHEMA_SDL

pytestmark = pytest.mark.django_db

CONFERENCE = "/news/peru-support-groups-annual-conference-on-5-november/"


def test_kind_answers_the_block_name_as_an_enum_beside_block_type(gql):
    call_command("load_demo_content", stdout=StringIO())
    data = gql(
        "query ($path: String!) "
        "{ page(path: $path) { ... on NewsPage { body { __typename kind blockType } } } }",
        {"path": CONFERENCE},
    )
    blocks = data["page"]["body"]
    assert {"__typename": "ParagraphBlock", "kind": "PARAGRAPH", "blockType": "paragraph"} in blocks
    assert {"__typename": "ButtonBlock", "kind": "BUTTON", "blockType": "button"} in blocks
    assert all(block["kind"] == block["blockType"].upper() for block in blocks)


def test_kind_is_added_without_breaking_block_type(gql):
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    interface = schema.get_type("BodyBlock")
    assert str(interface.fields["blockType"].type) == "String!"  # unchanged: generated clients keep working
    assert interface.fields["blockType"].deprecation_reason
    assert str(interface.fields["kind"].type) == "BodyBlockKind!"
    kinds = schema.get_type("BodyBlockKind")
    assert set(kinds.values) == {name.upper() for name in BodyBlock().child_blocks}
    # The live schema, over HTTP, says the same.
    data = gql(
        '{ __type(name: "ParagraphBlock") { fields(includeDeprecated: true) '
        "{ name isDeprecated type { kind ofType { kind name } } } } }"
    )
    fields = {field["name"]: field for field in data["__type"]["fields"]}
    assert fields["blockType"]["isDeprecated"] is True
    assert fields["blockType"]["type"]["ofType"] == {"kind": "SCALAR", "name": "String"}
    assert fields["kind"]["isDeprecated"] is False
    assert fields["kind"]["type"]["ofType"] == {"kind": "ENUM", "name": "BodyBlockKind"}
