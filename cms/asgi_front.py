"""The ASGI front the production server (Granian, `docker/serve.py`) puts before the WSGI
application, so that no slow or stalled client holds one of the threads running Django.

Granian's own WSGI interface hands a request to a Python thread as soon as its headers are in, and
the thread then blocks reading the body: a client trickling a POST body a byte at a time holds a
thread for as long as it likes. Here the event loop reads every request body to the end first, in
a bounded time and size, and only complete requests reach the small pool of threads that runs
Django. A thread hands its whole response back (up to `RESPONSE_BUFFER_BYTES`; larger streamed
files one block per hop) and the event loop sends it, so a client that reads slowly holds no
thread either, and one that stops reading is dropped after `RESPONSE_STALL_TIMEOUT`. Slow or absent
request headers never get this far: Granian closes the connection after its header read timeout.

a2wsgi and asgiref's WsgiToAsgi were measured and set aside: a2wsgi's threads wait on the event
loop for every message sent (about a third of Granian's WSGI throughput, and threads stuck at
shutdown), asgiref runs every request in one thread and never calls the response's `close()`.
"""

import asyncio
import io
import json
import logging
import re
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from api.resource_policy import CROSS_ORIGIN
from cms.env import get_env_int

logger = logging.getLogger("cms.asgi")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
WSGIApp = Callable[..., Iterable[bytes]]
# Answers a request from its environ without a body, or None: (status, headers, body).
Shortcut = Callable[[dict[str, Any]], tuple[int, list[tuple[str, str]], bytes] | None]
# A whole answer sent from the event loop: (status line, headers, body).
Answer = tuple[str, list[tuple[str, str]], bytes]
# Answers a whole request (its environ, body included) from the event loop, or None.
Replay = Callable[[dict[str, Any]], Awaitable[Answer | None]]

# Bodies larger than this live in a temporary file while they are read, not in memory.
SPOOL_BYTES = 1024 * 1024
# A response up to this size comes back from its thread in one piece; the rest of a larger one
# (a streamed file) is fetched a block per hop to the thread pool, as the client takes it.
RESPONSE_BUFFER_BYTES = 1024 * 1024


class RequestRefused(Exception):
    """A request answered before the application sees it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class ClientGone(Exception):
    """The client disconnected before its request was complete."""


class GuardedSend:
    """`send` with no server banner, that gives up on a client that stops reading."""

    def __init__(self, send: Send, stall_timeout: float) -> None:
        self.send = send
        self.stall_timeout = stall_timeout
        self.started = False
        self.abandoned = False

    async def __call__(self, *messages: Message) -> None:
        """Send `messages` in turn (several under one stall timeout, for a whole response at once)."""
        if self.abandoned:
            return
        try:
            async with asyncio.timeout(self.stall_timeout):
                for message in messages:
                    if message["type"] == "http.response.start":
                        self.started = True
                        message = self.without_banner(message)
                    await self.send(message)
        except TimeoutError:
            self.abandoned = True
            logger.info("A client read nothing for %ss; its response is dropped.", self.stall_timeout)
        except Exception:  # the client went away: nothing left to send to
            self.abandoned = True

    @staticmethod
    def without_banner(message: Message) -> Message:
        headers = [(key, value) for key, value in message.get("headers", []) if key.lower() != b"server"]
        # Granian adds `server: granian` to any response without the header; an empty one names
        # no software.
        return {**message, "headers": [*headers, (b"server", b"")]}


class WSGIResponse:
    """What a thread hands back: status, headers, the first part of the body and the rest, if any."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.iterable: Iterable[bytes] | None = None  # set while more is left to fetch
        self.rest: Iterator[bytes] | None = None

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        self.status = int(status.split(" ", 1)[0])
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return self.chunks.append  # WSGI's legacy write()

    def close(self) -> None:
        """The application's `close()`: Django's request_finished (database connections) runs here."""
        iterable, self.iterable, self.rest = self.iterable, None, None
        if iterable is not None and hasattr(iterable, "close"):
            try:
                iterable.close()
            except Exception:
                logger.exception("Closing a response failed.")


def run_wsgi(app: WSGIApp, environ: dict[str, Any]) -> WSGIResponse:
    """In a pool thread: run the application and take its response, or the first part of it."""
    response = WSGIResponse()
    iterable = app(environ, response.start_response)
    response.iterable = iterable
    try:
        size = sum(map(len, response.chunks))
        rest = iter(iterable)
        for chunk in rest:
            if chunk:
                response.chunks.append(chunk)
                size += len(chunk)
                if size >= RESPONSE_BUFFER_BYTES:
                    response.rest = rest
                    return response
    except BaseException:
        response.close()
        raise
    response.close()
    return response


def build_environ(scope: Scope, body: IO[bytes], body_size: int) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP scope, as gunicorn builds it from the raw request."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    # PATH_INFO is the percent-decoded bytes, as latin-1 (PEP 3333); from the raw path, so bytes
    # that are not UTF-8 reach Django unchanged.
    path = urllib.parse.unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("latin-1")
    root = scope.get("root_path", "").encode().decode("latin-1")
    server_host, server_port = scope.get("server") or ("localhost", 80)
    client_host, client_port = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path[len(root) :] if root and path.startswith(root) else path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server_host),
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client_host),
        "REMOTE_PORT": str(client_port),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in {"CONTENT_TYPE", "CONTENT_LENGTH"} else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        if key in environ:
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    return with_body(environ, body, body_size)


def with_body(environ: dict[str, Any], body: IO[bytes], body_size: int) -> dict[str, Any]:
    """`environ` given the request's body, read whole."""
    environ["wsgi.input"] = body
    # The body is all here: its real length, also for a chunked request (which has none).
    if body_size or "CONTENT_LENGTH" in environ:
        environ["CONTENT_LENGTH"] = str(body_size)
    return environ


class WSGIFront:
    """ASGI application: reads each request whole, then runs `app` (WSGI) in a pool of threads."""

    def __init__(
        self,
        app: WSGIApp,
        *,
        threads: int,
        max_body_bytes: int,
        body_timeout: float,
        body_min_rate: int,
        send_stall_timeout: float,
        shortcut: Shortcut | None = None,
        shortcut_delay: float = 0.0,
        replay: Replay | None = None,
    ) -> None:
        self.app = app
        self.replay = replay
        self.shortcut = shortcut
        self.shortcut_delay = shortcut_delay
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.body_min_rate = body_min_rate
        self.send_stall_timeout = send_stall_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        guarded = GuardedSend(send, self.send_stall_timeout)
        # As gunicorn does: `X_Forwarded_Proto` would reach Django as HTTP_X_FORWARDED_PROTO,
        # indistinguishable from the proxy's `X-Forwarded-Proto`, so names with "_" are dropped.
        scope = {**scope, "headers": [(name, value) for name, value in scope["headers"] if b"_" not in name]}
        # Built once, before the body is read: the shortcut sees an empty one.
        environ = build_environ(scope, io.BytesIO(), 0)
        if self.shortcut is not None and await self.answer_without_app(environ, scope, guarded):
            return
        try:
            body, size = await self.read_body(scope, receive)
        except RequestRefused as refused:
            await refuse(scope, guarded, refused)
            return
        except ClientGone:
            return
        with body:
            environ = with_body(environ, body, size)
            if self.replay is not None and await self.answer_from_replay(environ, guarded):
                return
            await self.respond(environ, scope, guarded)

    async def answer_from_replay(self, environ: dict[str, Any], send: GuardedSend) -> bool:
        """Let `replay` answer the whole request in the event loop, no thread taken; True when it did."""
        assert self.replay is not None  # noqa: S101 (only called when there is one)
        try:
            answer = await self.replay(environ)
        except Exception:
            logger.exception("The replay failed; the application answers.")
            return False
        if answer is None:
            return False
        status, headers, content = answer
        await send_whole(send, int(status.split(" ", 1)[0]), headers, content)
        return True

    async def respond(self, environ: dict[str, Any], scope: Scope, send: GuardedSend) -> None:
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(self.executor, run_wsgi, self.app, environ)
        try:
            response = await asyncio.shield(pending)
        except asyncio.CancelledError:
            # The server gave up on the request: whatever the thread returns is closed there.
            pending.add_done_callback(self.close_when_done)
            raise
        except Exception:
            logger.exception("The application failed.")
            await refuse(scope, send, RequestRefused(500, "INTERNAL_SERVER_ERROR", "Internal error."))
            return
        start = {"type": "http.response.start", "status": response.status, "headers": response.headers}
        first = b"".join(response.chunks)
        try:
            await send(
                start, {"type": "http.response.body", "body": first, "more_body": response.rest is not None}
            )
            if response.rest is not None:
                while not send.abandoned:
                    chunk = await loop.run_in_executor(self.executor, next, response.rest, None)
                    if chunk is None:
                        break
                    if chunk:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            if response.iterable is not None:
                self.executor.submit(response.close)

    async def answer_without_app(self, environ: dict[str, Any], scope: Scope, send: GuardedSend) -> bool:
        """Let `shortcut` answer from the request line and headers, in the event loop, before any
        body is read or a thread is taken; True when it did."""
        try:
            answer = self.shortcut(environ) if self.shortcut is not None else None
        except Exception:
            logger.exception("The request shortcut failed; the application answers.")
            return False
        if answer is None:
            return False
        status, headers, content = answer
        if self.shortcut_delay:
            # A client looping over refusals is slowed to a few a second per connection, at the
            # price of an idle connection in the event loop, not of CPU.
            await asyncio.sleep(self.shortcut_delay)
        request_headers = dict(scope["headers"])
        if request_headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in request_headers:
            headers = [*headers, ("Connection", "close")]  # the body is never read
        await send_whole(send, status, headers, content)
        return True

    def close_when_done(self, done: asyncio.Future) -> None:
        if not done.cancelled() and done.exception() is None:
            self.executor.submit(done.result().close)

    async def read_body(self, scope: Scope, receive: Receive) -> tuple[IO[bytes], int]:
        """The body, whole, in a file, and its size; refused when too large or too slow to arrive.

        The time allowed grows with what has arrived (like Apache's mod_reqtimeout): a client
        sending at least `body_min_rate` bytes a second always finishes, a trickle does not.
        """
        headers = dict(scope["headers"])
        if b"content-length" not in headers and b"transfer-encoding" not in headers:
            return io.BytesIO(), 0  # HTTP/1.1 sends a body only with one of these: none to wait for
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise RequestRefused(413, "REQUEST_TOO_LARGE", "The request body is too large.")
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        too_slow = RequestRefused(408, "REQUEST_TIMEOUT", "The request body arrived too slowly.")
        size = 0
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise too_slow
                try:
                    async with asyncio.timeout(remaining):
                        message = await receive()
                except TimeoutError:
                    raise too_slow from None
                if message["type"] == "http.disconnect":
                    raise ClientGone
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise RequestRefused(413, "REQUEST_TOO_LARGE", "The request body is too large.")
                body.write(chunk)
                deadline += len(chunk) / self.body_min_rate
                if not message.get("more_body", False):
                    break
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, size


async def send_whole(send: GuardedSend, status: int, headers: list[tuple[str, str]], content: bytes) -> None:
    """A whole response from the event loop, with its Content-Length."""
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    if not any(name == b"content-length" for name, _ in raw):
        raw.append((b"content-length", str(len(content)).encode()))
    await send(
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": content},
    )


def _app_path(scope: Scope) -> str:
    """The path as Django routes it: without the root path (SCRIPT_NAME) the server was given."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _cors_headers(scope: Scope, path: str) -> list[tuple[bytes, bytes]]:
    """What api/cors.py would add, so a browser frontend can read a refusal of an API request."""
    from django.conf import settings

    origin = dict(scope["headers"]).get(b"origin", b"").decode("latin-1")
    if not origin or not settings.configured or not re.match(settings.CORS_URLS_REGEX, path):
        return []
    listed = origin in settings.CORS_ALLOWED_ORIGINS or any(
        re.fullmatch(pattern, origin) for pattern in settings.CORS_ALLOWED_ORIGIN_REGEXES
    )
    headers = [(b"vary", b"origin"), (b"access-control-expose-headers", b"X-Request-ID, Retry-After")]
    if listed:
        return [
            *headers,
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-credentials", b"true"),
        ]
    return [*headers, (b"access-control-allow-origin", b"*")]


async def refuse(scope: Scope, send: GuardedSend, refused: RequestRefused) -> None:
    """Answer without the application, with the headers Django's answers carry: JSON errors on the
    API (`{"error": …}` on the JSON feed), plain text elsewhere."""
    path = _app_path(scope)
    if path.startswith("/graphql"):
        content_type = b"application/json"
        payload = {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
        content = json.dumps(payload).encode()
    elif path.endswith(".json"):
        content_type, content = b"application/json", json.dumps({"error": refused.message}).encode()
    else:
        content_type, content = b"text/plain; charset=utf-8", refused.message.encode()
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(content)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"cross-origin-resource-policy", b"cross-origin" if CROSS_ORIGIN.match(path) else b"same-origin"),
        (b"x-request-id", uuid.uuid4().hex.encode()),
        *_cors_headers(scope, path),
    ]
    if refused.status in {408, 413}:
        headers.append((b"connection", b"close"))  # the rest of the body is never read
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def serve_wsgi(
    wsgi_application: WSGIApp, shortcut: Shortcut | None = None, replay: Replay | None = None
) -> ASGIApp:
    """`wsgi_application` behind the front, configured from the environment; `shortcut` may answer
    a request from its headers alone, before its body is read or a thread runs, and `replay` a
    whole request, before a thread runs."""
    return WSGIFront(
        wsgi_application,
        shortcut=shortcut,
        replay=replay,
        shortcut_delay=get_env_int("RATE_LIMIT_REFUSAL_DELAY_MS", 150) / 1000,
        # Threads running Django in each worker process; each holds its own database connection.
        threads=get_env_int("WEB_THREADS", 2),
        max_body_bytes=get_env_int("REQUEST_BODY_MAX_BYTES", 50 * 1024 * 1024),
        body_timeout=get_env_int("REQUEST_BODY_TIMEOUT", 20),
        body_min_rate=get_env_int("REQUEST_BODY_MIN_RATE", 500),
        send_stall_timeout=get_env_int("RESPONSE_STALL_TIMEOUT", 30),
    )
