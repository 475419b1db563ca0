"""The events app's own URLs: calendars (mounted at /feeds/: the feed of upcoming events and one file
per event) and the links in registration emails (mounted at /registrations/)."""

from django.urls import path, re_path

from events import calendar, views

feed_urlpatterns = [
    path("events.ics", calendar.events_feed, name="events-ical-feed"),
    re_path(r"^events/(?P<page_id>[0-9]+)\.ics$", calendar.event_ical, name="event-ical"),
]

registration_urlpatterns = [
    path("cancel/<str:token>/", views.cancel_registration, name="events_cancel_registration"),
]
