"""The editor's tabs: every page type's form is Content (+ its own tabs) / Promote / Settings."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from wagtail.admin.panels import CommentPanel, ObjectList, Panel, PublishingPanel, TabbedInterface
from wagtail.models import Page

SCHEDULING_HELP = {
    "go_live_at": "Publish automatically at this date and time (London time). Leave blank to publish now.",
    "expire_at": "Unpublish automatically at this date and time (London time). Leave blank to keep it.",
}


class SchedulingPanel(PublishingPanel):
    """Wagtail's go-live/expiry panel, with help text on both dates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for child in self.children:
            child.help_text = child.help_text or SCHEDULING_HELP.get(child.field_name, "")


def settings_panels() -> list[Panel]:
    """Wagtail's Settings tab (`Page.settings_panels`), built from the same panel classes: scheduled
    publishing, with help text, and comments unless WAGTAILADMIN_COMMENTS_ENABLED turns them off."""
    panels: list[Panel] = [SchedulingPanel()]
    if getattr(settings, "WAGTAILADMIN_COMMENTS_ENABLED", True):
        panels.append(CommentPanel())
    return panels


def page_tabs(content_panels: Sequence[Panel], *extra_tabs: tuple[str, Sequence[Panel]]) -> TabbedInterface:
    """A TabbedInterface: Content, then each (heading, panels) in `extra_tabs`, then Promote and Settings.

    Promote (slug, SEO title, search description) is Wagtail's own; Settings holds scheduled
    publishing (go-live/expiry) and comments, as on every Wagtail page.
    """
    tabs = [ObjectList(content_panels, heading="Content")]
    tabs += [ObjectList(panels, heading=heading) for heading, panels in extra_tabs]
    tabs += [
        ObjectList(Page.promote_panels, heading="Promote"),
        ObjectList(settings_panels(), heading="Settings"),
    ]
    return TabbedInterface(tabs)
