"""The production server, shared by `make serve` and the container image: Granian running
`cms.asgi:application` (see cms/asgi.py for why ASGI in front of the WSGI application).

    PORT                    port (8000)
    WEB_CONCURRENCY         worker processes (the number of CPUs, at least 2)
    WEB_THREADS             threads running Django per worker (2; read by cms/asgi.py)
    WEB_MAX_CONNECTIONS     open connections per worker (1024; Granian's backpressure)
    REQUEST_HEADER_TIMEOUT  seconds a client has to send its request line and headers (10)

Any other Granian option can be given as its GRANIAN_* environment variable.
"""

import os
import sys


def granian_args(env: dict[str, str], target: str = "cms.asgi:application") -> list[str]:
    """Granian's command line for this environment (`target`: another ASGI app, for bench/)."""
    workers = env.get("WEB_CONCURRENCY") or str(max(2, os.cpu_count() or 1))
    return [
        "--interface",
        "asginl",  # ASGI without lifespan events: cms/asgi_front.py has nothing to start or stop
        "--host",
        "0.0.0.0",  # noqa: S104 (inside a container, behind the proxy)
        "--port",
        env.get("PORT") or "8000",
        "--workers",
        workers,
        "--backpressure",
        env.get("WEB_MAX_CONNECTIONS") or "1024",
        # HTTP/1.1 only: the proxy in front speaks it to the app, and h2c would bring its own
        # timeouts and stream limits to get right.
        "--http",
        "1",
        "--no-ws",
        # Request line and headers together: 64 KiB (Granian's default, 408 KiB, is what every
        # slow header sender could make a worker hold).
        "--http1-buffer-size",
        "65536",
        "--http1-header-read-timeout",
        str(int(float(env.get("REQUEST_HEADER_TIMEOUT") or "10") * 1000)),
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "30",
        "--access-log",
        target,
    ]


if __name__ == "__main__":
    # Granian replaces this process, so it is PID 1 in the container and gets the stop signal.
    args = granian_args(dict(os.environ), *sys.argv[1:2])
    os.execv(sys.executable, [sys.executable, "-m", "granian", *args])  # noqa: S606
