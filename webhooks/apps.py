from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Publish webhooks are their own app: models, admin, checks and signal receivers together."""

    name = "webhooks"
    verbose_name = "Publish webhooks"

    def ready(self) -> None:
        from webhooks import checks, receivers  # noqa: F401  (the checks register themselves)

        receivers.connect()
