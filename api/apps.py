import mimetypes

from django.apps import AppConfig

# Renditions the API hands out, which Python's own table (3.11) and a slim image's missing
# /etc/mime.types may not name: served and described with their real media types.
MEDIA_TYPES = {".avif": "image/avif", ".webp": "image/webp"}


class ApiConfig(AppConfig):
    """Headless delivery: the GraphQL API, what anonymous visitors may see, caching and rate limits."""

    name = "api"
    verbose_name = "PSG API"

    def ready(self) -> None:
        from api import api_keys, previews, serving, signals  # noqa: F401  (page-serving hooks register themselves)

        for extension, media_type in MEDIA_TYPES.items():
            mimetypes.add_type(media_type, extension)
        signals.connect()
        previews.connect()
        api_keys.connect()
