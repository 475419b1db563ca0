from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from events import registering
        from events.models import EventPage

        def announce(sender, instance, **kwargs):
            # Postponed or cancelled: everyone registered is told; more places: the waiting move up.
            registering.event_changed(instance)

        page_published.connect(
            announce, sender=EventPage, weak=False, dispatch_uid="events-registration-announce"
        )
