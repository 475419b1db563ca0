"""The editor's tabs: every page type's form is Content (+ its own tabs) / Promote / Settings."""

from wagtail.admin.panels import ObjectList, PublishingPanel, TabbedInterface
from wagtail.models import Page

from cms.admin_fields import DATETIME_HINT

SCHEDULING_HELP = {
    "go_live_at": "Publish automatically at this date and time (London time). Leave blank to publish now.",
    "expire_at": "Unpublish automatically at this date and time (London time). Leave blank to keep it.",
}


class SchedulingPanel(PublishingPanel):
    """Wagtail's go-live/expiry panel, with help text and the date format on both dates."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for child in self.children:
            child.help_text = child.help_text or SCHEDULING_HELP.get(child.field_name, "")
            child.widget.attrs.setdefault("placeholder", DATETIME_HINT)


def page_tabs(content_panels, *extra_tabs):
    """A TabbedInterface: Content, then each (heading, panels) in `extra_tabs`, then Promote and Settings.

    Promote (slug, SEO title, search description) is Wagtail's own; Settings holds scheduled
    publishing (go-live/expiry) and comments, as on every Wagtail page.
    """
    tabs = [ObjectList(content_panels, heading="Content")]
    tabs += [ObjectList(panels, heading=heading) for heading, panels in extra_tabs]
    other_settings = Page.settings_panels[1:]  # after Wagtail's PublishingPanel: comments
    tabs += [
        ObjectList(Page.promote_panels, heading="Promote"),
        ObjectList([SchedulingPanel(), *other_settings], heading="Settings"),
    ]
    return TabbedInterface(tabs)
