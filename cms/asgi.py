"""What the production server runs (`docker/serve.py`): the WSGI application (`cms/wsgi.py`),
with X-Forwarded-Proto only from FORWARDED_ALLOW_IPS (`cms/forwarded.py`, before the response
cache's fast path or Django look at it), behind the front that reads requests whole before a
thread runs Django (`cms/asgi_front.py`)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from typing import Any  # noqa: E402

from api.ratelimit import refuse_known_over_limit  # noqa: E402
from cms.asgi_front import Answer, ASGIApp, Replay, WSGIApp, serve_wsgi  # noqa: E402 (after the settings module is set)
from cms.env import get_env_list  # noqa: E402
from cms.forwarded import TrustedForwardedProto  # noqa: E402
from cms.worker_heap import settle  # noqa: E402
from cms.wsgi import application as wsgi_application  # noqa: E402
from cms.wsgi import replay_in_event_loop  # noqa: E402

trusted_proxies = get_env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")


def serve(wsgi_app: WSGIApp, replay: Replay | None = None) -> ASGIApp:
    """`wsgi_app` as the production server runs it (bench/no_fast_path.py serves Django's own
    application this way, without `replay`, to measure what the fast path buys)."""
    forwarded = TrustedForwardedProto(wsgi_app, trusted_proxies)
    # A client this process already refused for its rate limit is refused again before its body is
    # read or a thread runs (api/ratelimit.py); a cached GraphQL answer is sent from the event loop
    # without a thread (api/graphql/fast_path.py).
    return serve_wsgi(
        forwarded,
        shortcut=refuse_known_over_limit,
        replay=None if replay is None else _seeing_what_the_application_sees(replay, forwarded),
    )


def _seeing_what_the_application_sees(replay: Replay, forwarded: TrustedForwardedProto) -> Replay:
    """`replay` given the environ after X-Forwarded-Proto is judged, as the application gets it."""

    async def judged(environ: dict[str, Any]) -> Answer | None:
        return await replay(forwarded.apply(environ))

    return judged


application = serve(wsgi_application, replay=replay_in_event_loop)

# Last: what the worker loaded for good leaves the garbage collector's full collections.
settle()
