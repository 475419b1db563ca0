from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Headless delivery: the GraphQL API, what anonymous visitors may see, caching and rate limits."""

    name = "api"
    verbose_name = "PSG API"

    def ready(self):
        from api import api_keys, previews, serving, signals  # noqa: F401  (page-serving hooks register themselves)

        signals.connect()
        previews.connect()
        api_keys.connect()
