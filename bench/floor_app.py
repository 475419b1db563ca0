"""The Granian floor: a WSGI app that does nothing but send the listing's JSON bytes.

Served by the same server configuration as the API (`asgi_application`: Granian, the ASGI front
of cms/asgi_front.py), it shows how fast `make serve` can answer at all on this machine (HTTP
parsing, the hand-over to a thread, the access log), the bound for any answer from Python,
cached or not.
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
