"""The Help menu leads to PSG's own guide (docs/editors.md), rendered by the admin with its screenshots."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cms.editors_guide import render_markdown

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "editors.md"


def _help_menu(client):
    """The Help submenu's items (name, label, url) from the sidebar's props on the dashboard."""
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)

    def items(node):
        if isinstance(node, dict):
            if node.get("_type") == "wagtail.sidebar.SubMenuItem" and node["_args"][0]["name"] == "help":
                yield from node["_args"][1]
            for value in node.values():
                yield from items(value)
        elif isinstance(node, list):
            for value in node:
                yield from items(value)

    found = [item["_args"][0] for item in items(props)]
    return [(args["name"], args["label"], args["url"]) for args in found]


def test_the_help_menu_offers_psgs_guide_instead_of_wagtails(site, editor, client):
    client.force_login(editor)
    menu = _help_menu(client)
    assert ("psg-guide", "PSG editors' guide", "/admin/editors-guide/") in menu
    assert "editor-guide" not in [name for name, _label, _url in menu]


def test_the_dashboard_links_to_psgs_guide_too(site, editor, client):
    client.force_login(editor)
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    guide_links = [link["href"] for link in soup.select("main a") if "guide" in link.get_text().lower()]
    assert guide_links == ["/admin/editors-guide/"]


def test_the_guide_is_the_one_in_docs_with_its_screenshots(site, editor, client):
    client.force_login(editor)
    response = client.get("/admin/editors-guide/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    guide = soup.select_one("article.psg-guide")
    headings = [line[3:] for line in GUIDE.read_text().splitlines() if line.startswith("## ")]
    assert [h2.get_text() for h2 in guide.find_all("h2")] == headings
    images = [img["src"] for img in guide.find_all("img")]
    assert len(images) == len(re.findall(r"!\[", GUIDE.read_text())) > 0
    for src in images:
        image = client.get(src)
        assert image.status_code == 200, src
        assert image["Content-Type"] == "image/png"
        assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_the_guide_uses_no_markdown_the_admin_cannot_render():
    soup = BeautifulSoup(render_markdown(GUIDE.read_text()), "html.parser")
    text = soup.get_text("\n")
    for residue in ("**", "](", "`", "<http"):
        assert residue not in text, residue
    for line in text.splitlines():
        assert not re.match(r"\s*(#+ |- |\d+\. |> )", line), line


def test_markup_in_the_guide_is_shown_as_text():
    html = render_markdown("A <script>alert(1)</script> and [a link](javascript:alert(1)).")
    assert "<script>" not in html
    assert "javascript:" not in str(BeautifulSoup(html, "html.parser").find_all("a"))


@pytest.mark.parametrize("name", ["../editors.md", "..%2Feditors.md", "missing.png", "dashboard.PNG"])
def test_only_the_guides_screenshots_are_served(site, editor, client, name):
    client.force_login(editor)
    assert client.get(f"/admin/editors-guide/images/{name}", follow=True).status_code == 404


def test_the_guide_is_for_signed_in_admin_users(site, client):
    response = client.get("/admin/editors-guide/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# What only developers and administrators act on: commands, settings, the repository's files.
DEVELOPER_MATERIAL = ["manage.py", ".venv", "pytest", "make run", "127.0.0.1", "localhost", ".md", "tests/"]


def test_the_guide_in_the_admin_is_for_editors_alone(site, editor, client):
    client.force_login(editor)
    guide = BeautifulSoup(client.get("/admin/editors-guide/").content, "html.parser").select_one(
        "article.psg-guide"
    )
    text = guide.get_text(" ")
    for material in DEVELOPER_MATERIAL:
        assert material not in text, material
    assert "This guide is also in the admin" not in text
    # Every link leads somewhere in the admin or the guide itself: no file of the repository, and
    # nothing that only works on a developer's machine.
    anchors = {element["id"] for element in guide.find_all(id=True)}
    links = [link["href"] for link in guide.find_all("a")]
    assert "/admin/" in links
    for href in links:
        assert href.startswith(("/admin/", "#", "https://")), href
        if href.startswith("#"):
            assert href[1:] in anchors, href
        elif href.startswith("/admin/"):
            assert client.get(href).status_code == 200, href
