"""A requests session that connects only to the addresses addresses.py vetted.

Resolving a name to vet it and then letting the HTTP client resolve it again to connect leaves a
window in which DNS can answer differently (DNS rebinding). Here the connection itself resolves
the host once, vets every address (`vetted_addresses`) and connects to one of those very
addresses, while the request keeps the host name: the Host header, TLS SNI and certificate
verification are all for the name. Proxies from the environment are ignored (a proxy would make
the connection to its own address, not the receiver's), and redirects are never followed.

requests' timeout bounds each socket operation, not the attempt: a receiver that trickles its
status line, headers or body a byte at a time would hold a worker (and every task queued behind
it) indefinitely. `deadline()` bounds the whole attempt by closing its sockets when time is up.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any, NoReturn

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

from webhooks.addresses import vetted_addresses

_attempt = threading.local()


class _Deadline:
    """Shuts down every socket opened for one attempt once `seconds` have passed."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # shutdown() wakes a thread blocked in recv() on this socket (or an SSL socket over it);
        # close() alone would not.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator["_Deadline"]:
    """Within the block, connections this thread opens are cut `seconds` after it starts."""
    watchdog = _Deadline(seconds)
    _attempt.deadline = watchdog
    watchdog._timer.start()
    try:
        yield watchdog
    finally:
        watchdog._timer.cancel()
        _attempt.deadline = None


class _VettedConnect(HTTPConnection):
    """Replaces urllib3's resolve-and-connect with resolve, vet, connect to the vetted address."""

    def _new_conn(self) -> socket.socket:
        results = vetted_addresses(self._dns_host, self.port)  # UnsafeURL propagates to the caller
        error: OSError | None = None
        for *_, sockaddr in results:
            try:
                # A numeric address: getaddrinfo inside create_connection does no DNS lookup.
                sock = connection.create_connection(
                    (sockaddr[0], self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
                watchdog = getattr(_attempt, "deadline", None)
                if watchdog is not None:
                    watchdog.watch(sock)
                return sock
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}") from error


class VettedHTTPConnection(_VettedConnect, HTTPConnection):
    """Plain HTTP to a vetted address (development hosts only: addresses.py refuses http otherwise)."""


class VettedHTTPSConnection(_VettedConnect, HTTPSConnection):
    """HTTPS to a vetted address; SNI and certificate checks use the host name (HTTPSConnection's own)."""


class VettedHTTPConnectionPool(HTTPConnectionPool):
    """Pool of VettedHTTPConnection."""

    ConnectionCls = VettedHTTPConnection


class VettedHTTPSConnectionPool(HTTPSConnectionPool):
    """Pool of VettedHTTPSConnection."""

    ConnectionCls = VettedHTTPSConnection


class VettedAdapter(HTTPAdapter):
    """A requests adapter whose connections go only to vetted addresses."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": VettedHTTPConnectionPool,
            "https": VettedHTTPSConnectionPool,
        }

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> NoReturn:
        raise ValueError("Webhooks are never sent through a proxy.")


def session() -> requests.Session:
    """A session for one webhook attempt: vetted connections, no proxies; callers never follow redirects."""
    vetted = requests.Session()
    vetted.trust_env = False
    adapter = VettedAdapter(max_retries=0)
    vetted.mount("http://", adapter)
    vetted.mount("https://", adapter)
    return vetted
