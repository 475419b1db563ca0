import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after the settings module is set)

# Loads the apps, which the fast path's modules need before they are imported.
django_application = get_wsgi_application()

from api.graphql.fast_path import ResponseCacheFastPath, replay_in_event_loop  # noqa: E402

# Repeated anonymous GraphQL requests are answered before Django builds a request
# (api/graphql/fast_path.py); everything else goes straight through to Django.
application = ResponseCacheFastPath(django_application)

__all__ = [
    "application",
    "replay_in_event_loop",
]  # the latter: for cms/asgi.py, which runs it in its event loop
