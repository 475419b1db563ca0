"""The webhooks name no content app: the snippets watched are those registered with Wagtail, and the
paths a change touches come from the hooks apps register (news/ and events/wagtail_hooks.py)."""

import pytest
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.snippets import models as snippet_registry

from cms.models import SiteSettings
from events.models import Venue
from tests.webhooks.test_events import _draft_news


def test_a_page_hook_adds_its_paths_before_the_sitemap(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)

    with hooks.register_temporarily("webhook_paths_for_page", lambda page: ["/archive/", None]):
        with commit():
            page.save_revision().publish()

    [payload] = webhooks.verified()
    assert payload["data"]["paths"][-2:] == ["/archive/", "/sitemap.xml"]


def test_a_snippet_hook_names_the_pages_that_show_it(site, webhooks, commit):
    def venue_pages(instance):
        return ["/visit-us/"] if isinstance(instance, Venue) else []

    with hooks.register_temporarily("webhook_paths_for_snippet", venue_pages):
        with commit():
            Venue.objects.create(name="Amnesty International UK", postcode="EC2A 3EA")

    [payload] = webhooks.verified()
    assert payload["data"]["paths"] == ["/", "/events/", "/visit-us/"]  # hooks in the order registered


def test_a_site_hook_adds_to_what_settings_changes_name(site, webhooks, commit):
    home, _, _ = site
    site_settings = SiteSettings.for_site(home.get_site())  # created on first use
    with hooks.register_temporarily("webhook_paths_for_site", lambda: ["/about/"]):
        with commit():
            site_settings.save()

    [payload] = webhooks.verified()
    assert payload["data"]["paths"] == ["/", "/news/", "/events/", "/about/"]


@pytest.mark.parametrize("registered", [True, False])
def test_any_model_registered_as_a_snippet_is_watched(site, webhooks, commit, monkeypatch, registered):
    if registered:
        monkeypatch.setattr(snippet_registry, "SNIPPET_MODELS", [*snippet_registry.SNIPPET_MODELS, Redirect])

    with commit():
        Redirect.objects.create(old_path="/old-news", redirect_link="https://psg.example.org/news/")

    if registered:
        [payload] = webhooks.verified()
        assert payload["type"] == "snippet.changed"
        assert (payload["data"]["model"], payload["data"]["paths"]) == ("wagtailredirects.Redirect", ["/"])
    else:
        assert webhooks.requests == []
