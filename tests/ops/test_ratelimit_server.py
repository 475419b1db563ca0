"""The production server counts every spelling of the GraphQL route, replays from the fast path included.

The server, not the test client, decides what PATH_INFO and SCRIPT_NAME the application sees: it
percent-decodes the path and strips the prefix the app is mounted on. This runs `make serve`'s
command mounted under /cms, so repeated requests are replayed by api/graphql/fast_path.py before
Django.
"""

import contextlib
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest

from api.api_keys import new_key
from tests.ops.conftest import ProductionServer, production_env

QUERY = json.dumps({"query": "{ __typename }"}).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, body: bytes | None = None, key: str = "") -> tuple[int, Message]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    sent = urllib.request.Request(  # noqa: S310 (a local URL)
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers
    )
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@contextlib.contextmanager
def serving(url, log_path):
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
    server = ProductionServer(env, log_path)
    server.health_path = "/cms/healthz"
    with server:
        yield port


@pytest.fixture
def server(postgres, migrated_template, tmp_path):
    _name, url = postgres.create("psg_ratelimit", template=migrated_template)
    with serving(url, tmp_path / "server.log") as port:
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


@pytest.mark.django_db
def test_a_key_is_never_refused_for_its_addresss_excess(postgres, migrated_template, tmp_path):
    name, url = postgres.create("psg_ratelimit", template=migrated_template)
    keys = {}
    with postgres.connect(name) as database:
        for label, limit in (("build", None), ("preview", 2)):
            keys[label], prefix, digest = new_key()
            database.execute(
                "INSERT INTO api_apikey (name, prefix, digest, rate_limit, created_at)"
                " VALUES (%s, %s, %s, %s, now())",
                [label, prefix, digest, limit],
            )
    with serving(url, tmp_path / "server.log") as port:
        status, headers = request(port, "/cms/graphql/", QUERY, "psg_0123abcd_" + "A" * 43)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        # The address (charged for that guess too) goes over its limit; this process remembers it.
        assert [request(port, "/cms/graphql/", QUERY)[0] for _ in range(3)] == [200, 200, 429]
        # Keyed requests from that address: past the front's shortcut, on the key's counter or none.
        assert {request(port, "/cms/graphql/", QUERY, keys["build"])[0] for _ in range(10)} == {200}
        preview = [request(port, "/cms/graphql/", QUERY, keys["preview"]) for _ in range(4)]
        assert [status for status, _ in preview] == [200, 200, 429, 429]
        assert "private" in preview[0][1]["Cache-Control"]
        assert request(port, "/cms/graphql/", QUERY, keys["build"])[0] == 200
        assert request(port, "/cms/graphql/", QUERY)[0] == 429
