"""What the production server runs (`docker/serve.py`): the WSGI application (`cms/wsgi.py`),
with X-Forwarded-Proto only from FORWARDED_ALLOW_IPS (`cms/forwarded.py`, before the response
cache's fast path or Django look at it), behind the front that reads requests whole before a
thread runs Django (`cms/asgi_front.py`)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from api.ratelimit import refuse_known_over_limit  # noqa: E402
from cms.asgi_front import ASGIApp, WSGIApp, serve_wsgi  # noqa: E402 (after the settings module is set)
from cms.env import get_env_list  # noqa: E402
from cms.forwarded import TrustedForwardedProto  # noqa: E402
from cms.wsgi import application as wsgi_application  # noqa: E402

trusted_proxies = get_env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")


def serve(wsgi_app: WSGIApp) -> ASGIApp:
    """`wsgi_app` as the production server runs it (bench/no_fast_path.py serves Django's own
    application this way, to measure what the fast path buys)."""
    # A client this process already refused for its rate limit is refused again before its body is
    # read or a thread runs (api/ratelimit.py).
    return serve_wsgi(TrustedForwardedProto(wsgi_app, trusted_proxies), shortcut=refuse_known_over_limit)


application = serve(wsgi_application)
