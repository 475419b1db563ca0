from pathlib import Path

from graphql import build_schema, print_schema

from api.graphql.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_the_live_schema():
    committed = print_schema(build_schema(SCHEMA_FILE.read_text()))
    live = print_schema(build_schema(print_schema(schema.graphql_schema)))
    assert committed == live, "schema.graphql is stale: run `make schema` and commit it"


def test_every_type_and_field_has_a_description():
    missing = []
    for name, graphql_type in schema.graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
            for argument_name, argument in getattr(field, "args", {}).items():
                if not argument.description:
                    missing.append(f"{name}.{field_name}({argument_name}:)")
        # Codegen writes each enum value's description beside it; editors show it on hover.
        for value_name, value in getattr(graphql_type, "values", {}).items():
            if not value.description:
                missing.append(f"{name}.{value_name}")
    assert missing == []
