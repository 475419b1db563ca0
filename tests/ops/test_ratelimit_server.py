"""The production server counts every spelling of the GraphQL route, replays from the fast path included.

The server, not the test client, decides what PATH_INFO and SCRIPT_NAME the application sees: it
percent-decodes the path and strips the prefix the app is mounted on. This runs `make serve`'s
command mounted under /cms, so repeated requests are replayed by api/graphql/fast_path.py before
Django.
"""

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest

from tests.ops.conftest import ProductionServer, production_env

QUERY = json.dumps({"query": "{ __typename }"}).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, body: bytes | None = None) -> tuple[int, Message]:
    sent = urllib.request.Request(  # noqa: S310 (a local URL)
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture
def server(postgres, migrated_template, tmp_path):
    _name, url = postgres.create("psg_ratelimit", template=migrated_template)
    port = free_port()
    env = production_env(
        DATABASE_URL=url,
        PORT=str(port),
        # Mounted under /cms, as behind a proxy that forwards a path prefix.
        GRANIAN_URL_PATH_PREFIX="/cms",
        # One worker: without Redis each process counts for itself.
        WEB_CONCURRENCY="1",
        RATE_LIMIT_REQUESTS="3",
        RATE_LIMIT_WINDOW="3600",
        RATE_LIMIT_REFUSAL_DELAY_MS="300",
        REDIS_URL=None,
        STATE_REDIS_URL=None,
    )
    server = ProductionServer(env, tmp_path / "server.log")
    server.health_path = "/cms/healthz"
    with server:
        yield port


@pytest.mark.django_db
def test_every_spelling_under_script_name_is_counted_replays_included(server):
    get_query = "?" + urllib.parse.urlencode({"query": "{ __typename }"})
    answers = [
        request(server, "/cms/%67raphql/", QUERY),  # Django; kept for replay
        request(server, "/cms/%67raphql/", QUERY),  # replayed before Django
        request(server, "/cms/graphql/", QUERY),  # the same PATH_INFO: replayed
        request(server, "/cms/graph%71l", QUERY),  # no slash: Django again, over the limit
    ]
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    assert [headers.get("X-Cache") for _, headers in answers[:3]] == ["miss", "hit", "hit"]
    # The same counter for every spelling and method; the health probe is never counted.
    assert request(server, "/cms/graphql/" + get_query)[0] == 429
    assert request(server, "/cms/healthz")[0] == 200


@pytest.mark.django_db
def test_a_client_over_its_limit_is_refused_before_its_body_is_read(server):
    for _ in range(4):
        request(server, "/cms/graphql/", QUERY)
    # A body announced and never sent: the server answers without waiting for it (REQUEST_BODY_TIMEOUT
    # is 20 s), after the refusal delay that keeps a looping client to a few requests a second.
    began = time.monotonic()
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(
            b"POST /cms/graphql/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Origin: https://partner.test\r\nContent-Length: 100000\r\n\r\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            assert chunk, answer
            answer += chunk
    assert time.monotonic() - began >= 0.3
    head = answer.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert head.startswith("http/1.1 429")
    assert "connection: close" in head
    assert "access-control-allow-origin: *" in head
    assert "retry-after:" in head
