"""PSG's guide for editors (docs/editors.md) inside the admin, linked from the Help menu in place of
Wagtail's generic guide. Served by the admin itself, so it works offline and always matches the
deployed version; only the Markdown the guide uses is understood (the runtime has no Markdown
library), and tests/admin/test_editors_guide.py fails if the guide uses more."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

GUIDE_TITLE = "PSG editors' guide"
IMAGES_PREFIX = "images/editors/"
_IMAGE_NAME = re.compile(r"[a-z0-9-]+\.png")

_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|&lt;(?P<auto>https?://[^\s&]+)&gt;"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|\*(?P<em>[^*\s][^*]*?)\*"
)


def _guide_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs"


def _href(url: str) -> str:
    if url.startswith(IMAGES_PREFIX) and _IMAGE_NAME.fullmatch(url.removeprefix(IMAGES_PREFIX)):
        return reverse("psg_editors_guide_image", args=[url.removeprefix(IMAGES_PREFIX)])
    if url.startswith(("https://", "http://", "#", "/")):
        return url
    # Links to the repository's other files mean nothing inside the admin.
    return ""


def _inline(text: str) -> str:
    """One paragraph's text, escaped, with code, images, links, bold and italics marked up."""

    def replace(match: re.Match[str]) -> str:
        group = match.lastgroup
        if group == "code":
            return f"<code>{match['code']}</code>"
        if group == "src":
            return f'<img src="{html.escape(_href(html.unescape(match["src"])))}" alt="{match["alt"]}">'
        if group == "href":
            href = _href(html.unescape(match["href"]))
            return f'<a href="{html.escape(href)}">{_inline(match["text"])}</a>' if href else match["text"]
        if group == "auto":
            return f'<a href="{match["auto"]}">{match["auto"]}</a>'
        if group == "strong":
            return f"<strong>{_inline(match['strong'])}</strong>"
        return f"<em>{_inline(match['em'])}</em>"

    return _INLINE.sub(replace, text)


def _blocks(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in markdown.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(line[2:])
        else:
            items[-1] += " " + line.strip()
    return items


def render_markdown(markdown: str) -> SafeString:
    """The guide as HTML: headings, paragraphs, lists and images (alone in a paragraph, a figure)."""
    parts = []
    for lines in _blocks(html.escape(markdown)):
        heading = re.fullmatch(r"(#{1,4}) (.+)", lines[0])
        if heading and len(lines) == 1:
            level, title = len(heading[1]), heading[2]
            parts.append(f'<h{level} id="{slugify(html.unescape(title))}">{_inline(title)}</h{level}>')
        elif lines[0].startswith("- "):
            items = "".join(f"<li>{_inline(item)}</li>" for item in _list_items(lines))
            parts.append(f"<ul>{items}</ul>")
        else:
            text = " ".join(line.strip() for line in lines)
            tag = "figure" if re.fullmatch(r"!\[[^\]]*\]\([^)\s]+\)", text) else "p"
            parts.append(f"<{tag}>{_inline(text)}</{tag}>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every piece of text above is escaped first)


class EditorsGuideView(WagtailAdminTemplateMixin, TemplateView):
    """The guide, rendered from the docs/editors.md this deployment ships."""

    page_title = GUIDE_TITLE
    header_icon = "help"
    template_name = "cms/admin/editors_guide.html"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": GUIDE_TITLE}]

    def get_context_data(self, **kwargs):
        guide = (_guide_dir() / "editors.md").read_text(encoding="utf-8")
        return super().get_context_data(**kwargs, guide=render_markdown(guide))


def guide_image(request, name):
    """A screenshot the guide shows (docs/images/editors/), for signed-in admin users only."""
    image = _guide_dir() / IMAGES_PREFIX / name
    if not _IMAGE_NAME.fullmatch(name) or not image.is_file():
        raise Http404
    return FileResponse(image.open("rb"), content_type="image/png")


@hooks.register("register_admin_urls")
def editors_guide_urls():
    return [
        path("editors-guide/", EditorsGuideView.as_view(), name="psg_editors_guide"),
        path("editors-guide/images/<str:name>", guide_image, name="psg_editors_guide_image"),
    ]


@hooks.register("register_help_menu_item")
def editors_guide_menu_item():
    return MenuItem(GUIDE_TITLE, reverse("psg_editors_guide"), icon_name="help", order=1050, name="psg-guide")


@hooks.register("construct_help_menu")
def hide_wagtails_generic_guide(request, menu_items):
    # Wagtail's own guide describes features PSG does not use and lives on another host.
    menu_items[:] = [item for item in menu_items if item.name != "editor-guide"]
