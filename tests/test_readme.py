"""The README's "Query it" curl commands work against the demo content."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

README = Path(__file__).resolve().parents[1] / "README.md"


def curl_bodies():
    section = README.read_text().split("## Query it", 1)[1].split("\n## ", 1)[0]
    return [json.loads(body) for body in re.findall(r"-d '(.*?)'", section, re.DOTALL)]


def test_readme_shows_queries():
    assert len(curl_bodies()) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(3))
def test_readme_query_runs_against_the_demo_content(client, index):
    call_command("load_demo_content", stdout=StringIO())
    body = curl_bodies()[index]
    response = client.post("/graphql/", data=json.dumps(body), content_type="application/json")
    payload = response.json()
    assert response.status_code == 200, payload
    assert "errors" not in payload, payload
    text = json.dumps(payload)
    expected = [
        [
            "UCL Global Governance Institute",
            '"amount": "8.00"',
            '"amount": "13.00"',
            "2016-11-05T10:30:00+00:00",
        ],
        ["Bolivia and Peru: change of tone?", '"totalCount": 10'],
        ["Loreto oil spills: conflict continues.", "2016-10-29"],
    ][index]
    for fact in expected:
        assert fact in text


def test_commands_table_lists_every_make_target():
    makefile = (README.parent / "Makefile").read_text()
    targets = re.search(r"^\.PHONY:(.*)$", makefile, flags=re.MULTILINE).group(1).split()
    table = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    missing = [target for target in targets if f"`make {target}" not in table]
    assert not missing, f"make targets missing from the README's Commands table: {missing}"


def test_lint_runs_what_the_readme_and_pre_commit_say():
    makefile = (README.parent / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    hooks = (README.parent / ".pre-commit-config.yaml").read_text()
    for tool in ("ruff check", "ruff format --check", "lint-imports", "mypy"):
        assert tool in recipe, tool
        assert f".venv/bin/{tool}" in hooks, tool
