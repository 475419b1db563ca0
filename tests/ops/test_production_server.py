"""The production server as a process: slow and stalled clients hold no thread running Django,
it names no software, and X-Forwarded-Proto counts only from FORWARDED_ALLOW_IPS."""

import json
import socket
import subprocess
import threading
import time

import pytest

from tests.ops.conftest import ROOT, ProductionServer, free_port, make_serve_command, production_env

WORKERS, THREADS = 1, 2
# Longer than any stall below lasts, so the stalls are still there while the server is measured.
TIMEOUT = 8
QUERY = json.dumps({"query": "{ __typename }"}).encode()
LARGE_FILE_BYTES = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def server(served_database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("server")
    # A static file larger than what a thread hands back in one piece (whitenoise serves it).
    (tmp / "static").mkdir()
    (tmp / "static" / "large.bin").write_bytes(b"x" * LARGE_FILE_BYTES)
    env = production_env(
        DATABASE_URL=served_database_url,
        STATIC_ROOT=str(tmp / "static"),
        PORT=str(free_port()),
        WEB_CONCURRENCY=str(WORKERS),
        WEB_THREADS=str(THREADS),
        REQUEST_HEADER_TIMEOUT=str(TIMEOUT),
        REQUEST_BODY_TIMEOUT=str(TIMEOUT),
        RESPONSE_STALL_TIMEOUT=str(TIMEOUT),
        RATE_LIMIT_ENABLED="false",
        FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    with ProductionServer(env, tmp / "server.log") as running:
        yield running


def connect(server, source="127.0.0.1"):
    return socket.create_connection(("127.0.0.1", server.port), timeout=10, source_address=(source, 0))


def exchange(server, raw, source="127.0.0.1", timeout=10.0):
    """Send `raw`, read until the server closes; (status, headers as (name, value) pairs, body)."""
    with connect(server, source) as sock:
        sock.settimeout(timeout)
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines]
    return int(status_line.split()[1]), headers, body


# A POST announcing a body that never comes in full.
PARTIAL_POST = (
    b"POST /graphql/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n"
)
OVERSIZED_POST = PARTIAL_POST.replace(b"Length: 1000", b"Length: 999999999999")


def request(method, path, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Stalls:
    """Sockets that hold connections open the slow way, trickling from a thread until closed."""

    def __init__(self, server, each):
        self.sockets = {"body": [], "headers": [], "silent": []}
        self.closed_by_server = []
        for _ in range(each):
            sock = connect(server)
            sock.sendall(PARTIAL_POST)
            self.sockets["body"].append(sock)
            sock = connect(server)
            sock.sendall(b"POST /graphql/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            self.sockets["headers"].append(sock)
            self.sockets["silent"].append(connect(server))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self):
        while not self.stop.wait(1.0):
            for kind, byte in (("body", b"{"), ("headers", b"X")):
                for sock in self.sockets[kind]:
                    try:
                        sock.send(byte)
                    except OSError:
                        self.closed_by_server.append(kind)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        for socks in self.sockets.values():
            for sock in socks:
                sock.close()


def test_stalled_clients_do_not_hold_the_threads_running_django(server):
    stalls = Stalls(server, each=2 * WORKERS * THREADS)  # 12 stalled connections for 2 threads
    try:
        time.sleep(1.5)  # the trickles are under way
        timings = []
        started = time.monotonic()
        while time.monotonic() - started < 3.5:
            for raw in (request("GET", "/healthz"), request("POST", "/graphql/", QUERY)):
                before = time.monotonic()
                status, _, body = exchange(server, raw, timeout=5)
                timings.append(time.monotonic() - before)
                assert status == 200, body
                assert body in (b'{"status": "ok"}', b'{"data":{"__typename":"Query"}}'), body
            time.sleep(0.2)
        assert len(timings) >= 10
        assert max(timings) < 1.0, timings
        # Every stall was still open throughout: the server answered around them, not after them.
        assert not stalls.closed_by_server
    finally:
        stalls.close()


def reader_that_never_reads(server):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window, as a stalled reader gives
    sock.settimeout(10)
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(request("GET", "/static/large.bin"))
    return sock


def test_clients_that_do_not_read_their_response_hold_no_thread(server):
    readers = [reader_that_never_reads(server) for _ in range(3 * WORKERS * THREADS)]
    try:
        time.sleep(1)
        for _ in range(5):
            for raw in (request("GET", "/healthz"), request("POST", "/graphql/", QUERY)):
                before = time.monotonic()
                status, _, body = exchange(server, raw, timeout=5)
                assert status == 200, body
                assert time.monotonic() - before < 1.0
    finally:
        for sock in readers:
            sock.close()


def test_a_response_nobody_reads_is_dropped(server):
    with reader_that_never_reads(server) as sock:
        time.sleep(TIMEOUT + 3)
        received = b""
        try:
            while chunk := sock.recv(1 << 20):
                received += chunk
        except ConnectionResetError:
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert f"content-length: {LARGE_FILE_BYTES}".encode() in head.lower()
    # The connection ended with what was in flight when the server gave up, not the whole file.
    assert 0 < len(body) < LARGE_FILE_BYTES


def test_a_trickled_body_is_cut_off(server):
    with connect(server) as sock:
        sock.sendall(PARTIAL_POST)
        started = time.monotonic()
        sock.settimeout(0.5)
        answer = b""
        while b"REQUEST_TIMEOUT" not in answer and time.monotonic() - started < TIMEOUT + 20:
            try:
                sock.send(b" ")
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
    # The refusal comes at the body's deadline, however long the client would go on trickling; the
    # thread pool never saw the request. (Granian may keep reading the rest of the trickle on that
    # connection after the 408: a connection slot, not a thread, see docs/security.md.)
    answered = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b'"code": "REQUEST_TIMEOUT"' in answer
    assert TIMEOUT - 1 < answered < TIMEOUT + 5


def test_trickled_headers_are_cut_off(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        sock.settimeout(0.5)
        closed = False
        while time.monotonic() - started < TIMEOUT + 5:
            try:
                sock.send(b"X")
                if sock.recv(65536) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
    assert closed
    assert TIMEOUT - 1 < time.monotonic() - started < TIMEOUT + 5


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(server):
    status, _, body = exchange(server, OVERSIZED_POST)
    assert status == 413
    assert json.loads(body)["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


@pytest.mark.parametrize(
    ("path", "policy", "kind"),
    [
        ("/graphql/", "cross-origin", "api"),
        ("/graphql", "cross-origin", "api"),
        ("/feeds/news.json", "cross-origin", "json"),
        ("/embed/news/", "cross-origin", "text"),
        ("/admin/images/multiple/add/", "same-origin", "text"),
    ],
)
def test_refusals_by_the_front_carry_the_headers_of_every_answer(server, path, policy, kind):
    # The 413 (and the 408, by the same function) never reach Django's middleware: the front sets
    # what that would have, so a browser frontend can read the refusal and nothing is sniffed.
    oversized = OVERSIZED_POST.replace(b"/graphql/", path.encode()).replace(
        b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\nOrigin: https://partner.example\r\n"
    )
    status, headers, body = exchange(server, oversized)
    assert status == 413
    named = {name.lower(): value for name, value in headers}
    assert named["cross-origin-resource-policy"] == policy
    assert named["x-content-type-options"] == "nosniff"
    assert named["cache-control"] == "no-store"
    assert named["x-request-id"]
    if kind == "api":
        assert json.loads(body)["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    elif kind == "json":
        assert json.loads(body) == {"error": "The request body is too large."}
    else:
        assert named["content-type"].startswith("text/plain")
    if path.startswith(("/graphql/", "/feeds/", "/embed/")):
        assert named["access-control-allow-origin"] == "*"
    else:
        assert "access-control-allow-origin" not in named


@pytest.mark.parametrize(
    "raw",
    [
        request("GET", "/healthz"),
        request("POST", "/graphql/", QUERY),
        request("GET", "/no/such/page/"),
        OVERSIZED_POST,
    ],
    ids=["healthz", "graphql", "404", "413"],
)
def test_no_server_banner(server, raw):
    _, headers, _ = exchange(server, raw)
    for name, value in headers:
        assert "granian" not in value.lower() and "gunicorn" not in value.lower(), (name, value)
        if name.lower() == "server":
            assert value == "", value


def is_https(server, source, header):
    """Whether Django saw HTTPS: HSTS is only sent on secure requests."""
    _, headers, _ = exchange(server, request("GET", "/healthz", headers=[header] if header else []), source)
    return any(name.lower() == "strict-transport-security" for name, _ in headers)


def test_forwarded_proto_counts_only_from_forwarded_allow_ips(server):
    assert is_https(server, "127.0.0.1", "X-Forwarded-Proto: https")
    assert not is_https(server, "127.0.0.1", None)
    # Another address on this machine is not the proxy.
    assert not is_https(server, "127.0.0.2", "X-Forwarded-Proto: https")
    # Nor does a header that only maps to the same WSGI name count, even from the proxy.
    assert not is_https(server, "127.0.0.1", "X_Forwarded_Proto: https")


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_the_server_refuses_to_start_without_its_settings(tmp_path, missing):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PORT=str(free_port()), WEB_CONCURRENCY="1"
    )
    del env[missing]
    command, _ = make_serve_command()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode != 0
    assert f"Set the {missing} environment variable." in result.stdout + result.stderr
