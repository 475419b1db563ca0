"""Calendars (mounted at /feeds/): the feed of upcoming events and one file per event."""

from django.urls import path, re_path

from events import calendar

feed_urlpatterns = [
    path("events.ics", calendar.events_feed, name="events-ical-feed"),
    re_path(r"^events/(?P<page_id>[0-9]+)\.ics$", calendar.event_ical, name="event-ical"),
]
