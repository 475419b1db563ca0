"""The README's "Query it" curl commands work against the demo content."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import caches
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


def local_frontend_command():
    section = README.read_text().split("### With a frontend on this machine", 1)[1].split("\n## ", 1)[0]
    (command,) = re.findall(r"^FRONTEND_URL=.*make run$", section, flags=re.MULTILINE)
    return dict(re.findall(r"(\w+)=(\S+)", command))


@pytest.mark.django_db
def test_readme_local_frontend_gives_absolute_urls_preview_and_cors(client, gql, settings):
    """What the README says `FRONTEND_URL=… CORS_ALLOWED_ORIGINS=… make run` changes, over HTTP."""
    from news.models import NewsPage
    from tests.test_frontend_guide import press_preview

    env = local_frontend_command()
    frontend = env["FRONTEND_URL"]
    call_command("load_demo_content", stdout=StringIO())
    query = '{ page(path: "/news/") { url } }'

    settings.FRONTEND_URL = ""
    assert gql(query) == {"page": {"url": "/news/"}}

    settings.FRONTEND_URL = frontend  # a restart in real life: nothing cached from before
    for cache in caches.all():
        cache.clear()
    settings.CORS_ALLOWED_ORIGINS = env["CORS_ALLOWED_ORIGINS"].split(",")
    assert gql(query) == {"page": {"url": f"{frontend}/news/"}}
    response = client.post(
        "/graphql/", {"query": query}, content_type="application/json", HTTP_ORIGIN=frontend
    )
    assert response["Access-Control-Allow-Origin"] == frontend
    page = NewsPage.objects.live().first()
    fields = {
        "title": page.title,
        "slug": page.slug,
        "publication_date": page.publication_date.isoformat(),
        "summary": page.summary,
        "topics": [topic.pk for topic in page.topics.all()],
        "main_image": page.main_image_id or "",
    }
    framed = press_preview(f"/admin/pages/{page.id}/edit/preview/", fields)
    assert framed.startswith(f"{frontend}/preview/?content_type=news.newspage&token=")
