"""The gunicorn floor: a WSGI app that does nothing but send the listing's JSON bytes.

Served by the same gunicorn configuration as the API, it shows how fast `make serve` can answer at
all on this machine (HTTP parsing, a new connection per request with sync workers, the access
log), the bound for any answer from Python, cached or not.
"""

import os

with open(os.environ["BENCH_FLOOR_FILE"], "rb") as source:
    BODY = source.read()

HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
