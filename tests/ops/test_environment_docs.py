"""Every environment variable the settings read is documented: in docker/.env.example (which
compose reads), in docs/deploy.md's table of every variable, and README's short table names only
variables that exist."""

import ast
import re

from tests.ops.conftest import ROOT

READERS = {"get_env", "get_env_list", "get_env_bool", "get_env_int", "get_env_float"}


def variables_read_by_settings():
    names = set()
    for path in (ROOT / "cms" / "settings").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in READERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def table_variables(markdown, heading):
    """The variables named in the first column of the table under `heading`."""
    section = markdown.split(heading, 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (.+?) \|", section, flags=re.MULTILINE)
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def env_example_variables():
    text = (ROOT / "docker" / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_the_settings_read_variables():
    read = variables_read_by_settings()
    # The reader is found: a handful the settings are known to read.
    known = {"SECRET_KEY", "GRAPHQL_PERSISTED_QUERIES", "GRAPHQL_PERSISTED_QUERY_TTL", "CSRF_TRUSTED_ORIGINS"}
    assert known <= read


def test_every_variable_the_settings_read_is_in_env_example():
    missing = sorted(variables_read_by_settings() - env_example_variables())
    assert not missing, f"read by cms/settings but not in docker/.env.example: {missing}"


def test_every_variable_the_settings_read_is_in_the_deploy_guides_table():
    documented = table_variables((ROOT / "docs" / "deploy.md").read_text(), "## Environment variables")
    missing = sorted(variables_read_by_settings() - documented)
    assert not missing, f"read by cms/settings but not in docs/deploy.md's table: {missing}"


def test_readmes_table_names_only_variables_that_are_read():
    readme = table_variables((ROOT / "README.md").read_text(), "## Environment")
    assert {"GRAPHQL_PERSISTED_QUERIES", "GRAPHQL_PERSISTED_QUERY_TTL"} <= readme
    unknown = sorted(readme - variables_read_by_settings())
    assert not unknown, f"in README's table but read by no setting: {unknown}"
