"""The Granian floors: apps that do nothing but send the listing's JSON bytes.

Served by the same server configuration as the API (Granian, the ASGI front of cms/asgi_front.py),
they show how fast `make serve` can answer at all on this machine: `asgi_application` answers from
a thread, as Django does (HTTP parsing, the hand-over to a thread, the access log), the bound for
any answer Django makes; `event_loop_asgi_application` answers from the front's event loop, as the
fast path replays a cached answer (api/graphql/fast_path.py), the bound for a replay.
"""

import os

from cms.asgi_front import serve_wsgi

with open(os.environ["BENCH_FLOOR_FILE"], "rb") as source:
    BODY = source.read()

HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]


asgi_application = serve_wsgi(application)


async def replay(environ):
    return "200 OK", HEADERS, BODY


event_loop_asgi_application = serve_wsgi(application, replay=replay)
