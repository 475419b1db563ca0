"""What the production server (Granian, `docker/serve.py`) runs: the WSGI application behind an
ASGI front that lets no slow or stalled client hold one of the threads running Django.

Granian's own WSGI interface hands a request to a Python thread as soon as its headers are in, and
the thread then blocks reading the body: a client trickling a POST body a byte at a time holds a
thread for as long as it likes. Here the event loop reads every request body to the end first, in
a bounded time and size, and only complete requests reach the small thread pool that runs Django
(a2wsgi). A response the client stops reading is given up after a while, so slow readers cannot
hold a thread either. Slow or absent request headers never get this far: Granian closes the
connection after its header read timeout (`docker/serve.py`).
"""

import asyncio
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from a2wsgi import WSGIMiddleware

from cms.env import get_env_int
from cms.wsgi import application as wsgi_application

logger = logging.getLogger("cms.asgi")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Bodies larger than this live in a temporary file while they are read, not in memory.
SPOOL_BYTES = 1024 * 1024
REPLAY_CHUNK = 64 * 1024


class RequestRefused(Exception):
    """A request answered before the application sees it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class GuardedSend:
    """`send` with no server banner, that gives up on a client that stops reading."""

    def __init__(self, send: Send, stall_timeout: float) -> None:
        self.send = send
        self.stall_timeout = stall_timeout
        self.started = False
        self.abandoned = False

    async def __call__(self, message: Message) -> None:
        if self.abandoned:
            # Swallowed, so the thread producing the response finishes and is free again;
            # Granian closes the connection, the response being incomplete.
            return
        if message["type"] == "http.response.start":
            self.started = True
            headers = [
                (name, value) for name, value in message.get("headers", []) if name.lower() != b"server"
            ]
            # Granian adds `server: granian` to any response without the header; an empty one
            # names no software.
            message = {**message, "headers": [*headers, (b"server", b"")]}
        try:
            await asyncio.wait_for(self.send(message), self.stall_timeout)
        except TimeoutError:
            self.abandoned = True
            logger.info("A client read nothing for %ss; its response is dropped.", self.stall_timeout)
        except Exception:  # the client went away: nothing left to send to
            self.abandoned = True


class BufferedRequests:
    """ASGI middleware: the whole request body is read in the event loop before `app` runs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_timeout: float,
        body_min_rate: int,
        send_stall_timeout: float,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.body_min_rate = body_min_rate
        self.send_stall_timeout = send_stall_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guarded = GuardedSend(send, self.send_stall_timeout)
        # As gunicorn does: `X_Forwarded_Proto` would reach Django as HTTP_X_FORWARDED_PROTO,
        # indistinguishable from the proxy's `X-Forwarded-Proto`, so names with "_" are dropped.
        scope = {**scope, "headers": [(name, value) for name, value in scope["headers"] if b"_" not in name]}
        try:
            body = await self.read_body(scope, receive)
        except RequestRefused as refused:
            await refuse(scope, guarded, refused)
            return
        except ClientGone:
            return
        try:
            await self.app(scope, replay(body, receive), guarded)
        except Exception:
            logger.exception("The application failed.")
            if not guarded.started:
                await refuse(scope, guarded, RequestRefused(500, "INTERNAL_SERVER_ERROR", "Internal error."))
        finally:
            body.close()

    async def read_body(self, scope: Scope, receive: Receive) -> tempfile.SpooledTemporaryFile:
        """The body, whole, in a file; refused when too large or too slow to arrive.

        The time allowed grows with what has arrived (like Apache's mod_reqtimeout): a client
        sending at least `body_min_rate` bytes a second always finishes, a trickle does not.
        """
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise RequestRefused(413, "REQUEST_TOO_LARGE", "The request body is too large.")
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the caller)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        size = 0
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise RequestRefused(408, "REQUEST_TIMEOUT", "The request body arrived too slowly.")
                try:
                    message = await asyncio.wait_for(receive(), remaining)
                except TimeoutError:
                    raise RequestRefused(
                        408, "REQUEST_TIMEOUT", "The request body arrived too slowly."
                    ) from None
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
        return body


class ClientGone(Exception):
    """The client disconnected before its request was complete."""


def replay(body: tempfile.SpooledTemporaryFile, receive: Receive) -> Receive:
    """`receive` for the application: the stored body, then whatever the server says next."""
    done = False

    async def receive_stored() -> Message:
        nonlocal done
        if done:
            return await receive()
        chunk = body.read(REPLAY_CHUNK)
        more = body.tell() < body_size
        done = not more
        return {"type": "http.request", "body": chunk, "more_body": more}

    body.seek(0, 2)
    body_size = body.tell()
    body.seek(0)
    return receive_stored


async def refuse(scope: Scope, send: GuardedSend, refused: RequestRefused) -> None:
    """Answer without the application: JSON errors on the API, plain text elsewhere."""
    if scope["path"].startswith("/graphql"):
        content_type = b"application/json"
        payload = {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
        content = json.dumps(payload).encode()
    else:
        content_type, content = b"text/plain; charset=utf-8", refused.message.encode()
    headers = [(b"content-type", content_type), (b"content-length", str(len(content)).encode())]
    if refused.status in {408, 413}:
        headers.append((b"connection", b"close"))  # the rest of the body is never read
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


# Threads running Django in each worker process; each holds its own database connection.
WEB_THREADS = get_env_int("WEB_THREADS", 2)
application = BufferedRequests(
    # The send queue holds about 1 MiB of a streamed file (Django streams 4-8 KiB blocks), so
    # responses of that size are handed to the event loop without waiting for the client.
    WSGIMiddleware(wsgi_application, workers=WEB_THREADS, send_queue_size=256),
    max_body_bytes=get_env_int("REQUEST_BODY_MAX_BYTES", 50 * 1024 * 1024),
    body_timeout=get_env_int("REQUEST_BODY_TIMEOUT", 20),
    body_min_rate=get_env_int("REQUEST_BODY_MIN_RATE", 500),
    send_stall_timeout=get_env_int("RESPONSE_STALL_TIMEOUT", 30),
)
