"""cms/panels.py builds Wagtail's Settings tab itself (to put help text on the scheduling dates):
it must keep holding what Wagtail's own Settings tab holds, and the help text must reach the editor."""

import pytest
from wagtail.admin.panels import CommentPanel, FieldPanel, ObjectList, PublishingPanel
from wagtail.models import Page

from cms.panels import SCHEDULING_HELP, SchedulingPanel, settings_panels
from tests.factories import NewsPageFactory, make_site


def bound_types(panels):
    return [type(panel) for panel in ObjectList(panels).bind_to_model(Page).children]


def test_the_settings_tab_holds_the_panels_of_wagtail_s_own():
    """When this fails, Wagtail's default Settings tab changed: settings_panels() must follow."""
    assert bound_types(Page.settings_panels) == [PublishingPanel, CommentPanel]
    ours = bound_types(settings_panels())
    assert ours == [SchedulingPanel, CommentPanel] and issubclass(SchedulingPanel, PublishingPanel)


def test_publishing_panel_is_the_two_scheduling_dates():
    children = PublishingPanel().children
    assert [(type(child), child.field_name) for child in children] == [
        (FieldPanel, "go_live_at"),
        (FieldPanel, "expire_at"),
    ]
    assert [child.help_text for child in SchedulingPanel().children] == list(SCHEDULING_HELP.values())


def test_comments_follow_wagtail_s_setting(settings):
    settings.WAGTAILADMIN_COMMENTS_ENABLED = False
    assert bound_types(settings_panels()) == [SchedulingPanel]


@pytest.mark.django_db
def test_the_editor_shows_the_help_text_and_the_comments(admin_client):
    _home, news_index, _events = make_site()
    page = NewsPageFactory(parent=news_index)
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    for help_text in SCHEDULING_HELP.values():
        assert help_text in html
    assert 'id="comments-data"' in html  # CommentPanel's template
