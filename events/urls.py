"""Links in registration emails (mounted at /registrations/)."""

from django.urls import path

from events import views

registration_urlpatterns = [
    path("cancel/<str:token>/", views.cancel_registration, name="events_cancel_registration"),
]
