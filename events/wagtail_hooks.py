"""Wagtail hooks of the events app."""

from wagtail import hooks

from events.models import EventIndexPage, EventPage, Venue
from webhooks.paths import listing_path, live_paths

# --- Publish webhooks: the paths a change to events shows on (docs/webhooks.md) -----------------


@hooks.register("webhook_paths_for_snippet")
def events_at_a_venue(instance):
    """The live events at a venue and the events listing (which shows each event's venue)."""
    if not isinstance(instance, Venue):
        return []
    return [*live_paths(EventPage.objects.filter(venue=instance)), listing_path(EventIndexPage)]


@hooks.register("webhook_paths_for_site")
def events_listing():
    return [listing_path(EventIndexPage)]
