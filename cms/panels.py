"""The editor's tabs (every page type's form is Content, its own tabs, Promote, Settings) and what the
admin's panels share."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from wagtail.admin.panels import (
    CommentPanel,
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    PublishingPanel,
    TabbedInterface,
)

from cms.admin_fields import DATETIME_HINT

SCHEDULING_HELP = {
    "go_live_at": "Publish automatically at this date and time (London time). Leave blank to publish now.",
    "expire_at": "Unpublish automatically at this date and time (London time). Leave blank to keep it.",
}


class SchedulingPanel(PublishingPanel):
    """Wagtail's go-live/expiry panel, with help text and the date format on both dates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for child in self.children:
            child.help_text = child.help_text or SCHEDULING_HELP.get(child.field_name, "")
            child.widget.attrs.setdefault("placeholder", DATETIME_HINT)


def settings_panels() -> list[Panel]:
    """Wagtail's Settings tab (`Page.settings_panels`), built from the same panel classes: scheduled
    publishing, with help text, and comments unless WAGTAILADMIN_COMMENTS_ENABLED turns them off."""
    panels: list[Panel] = [SchedulingPanel()]
    if getattr(settings, "WAGTAILADMIN_COMMENTS_ENABLED", True):
        panels.append(CommentPanel())
    return panels


PROMOTE_HELP = {
    "seo_title": "The title search results and social media show. Leave blank to use the page title.",
    "search_description": "One or two sentences search results and social media show under the title.",
}


def promote_panels() -> list[Panel]:
    """Wagtail's "For search engines" group of the Promote tab, without its "Show in menus" (the
    site's navigation is the menus under Snippets, so that switch would do nothing), with the share
    image, canonical URL and the switch hiding the page from search engines."""
    return [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title", help_text=PROMOTE_HELP["seo_title"]),
                FieldPanel("search_description", help_text=PROMOTE_HELP["search_description"]),
                FieldPanel("canonical_url"),
                FieldPanel("noindex"),
            ],
            heading="For search engines",
        ),
        MultiFieldPanel([FieldPanel("share_image")], heading="For social media"),
    ]


def page_tabs(content_panels: Sequence[Panel], *extra_tabs: tuple[str, Sequence[Panel]]) -> TabbedInterface:
    """A TabbedInterface: Content, then each (heading, panels) in `extra_tabs`, then Promote and Settings.

    Promote holds Wagtail's slug, SEO title and search description (not its “Show in menus”: the
    site's navigation is the menus under Snippets); Settings holds scheduled publishing (go-live and
    expiry) and comments, as on every Wagtail page.
    """
    tabs = [ObjectList(content_panels, heading="Content")]
    tabs += [ObjectList(panels, heading=heading) for heading, panels in extra_tabs]
    tabs += [
        ObjectList(promote_panels(), heading="Promote"),
        ObjectList(settings_panels(), heading="Settings"),
    ]
    return TabbedInterface(tabs)


def item_titles(*fields: str) -> dict[str, str]:
    """An InlinePanel's `attrs` so each row's heading names the row (cms/static/cms/item-titles.js):
    “Menu item 3: News” rather than “Menu item 3” once collapsed. Each of `fields` is a field name, or
    names joined by “|” for the first one filled in; the values found are joined by spaces."""
    return {"data-psg-item-title": " ".join(fields)}


class InlinePanelWithForm(InlinePanel):
    """An InlinePanel whose rows use their own form class, for what a row's fields say together."""

    def __init__(self, relation_name: str, *args: Any, form: type, **kwargs: Any) -> None:
        super().__init__(relation_name, *args, **kwargs)
        self.form = form

    def clone_kwargs(self) -> dict[str, Any]:
        return {**super().clone_kwargs(), "form": self.form}

    def get_form_options(self) -> dict[str, Any]:
        options: dict[str, Any] = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = self.form
        return options
