"""The production server counts every spelling of the GraphQL route, replays from the fast path included.

gunicorn, not the test client, decides what PATH_INFO and SCRIPT_NAME the application sees: it
percent-decodes the path and strips a SCRIPT_NAME prefix. This runs `make serve`'s command with a
SCRIPT_NAME, so repeated requests are replayed by cms/graphql/fast_path.py before Django.
"""

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.ops.conftest import BIN, ROOT, production_env

QUERY = json.dumps({"query": "{ __typename }"}).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, body: bytes | None = None) -> tuple[int, dict]:
    sent = urllib.request.Request(  # noqa: S310 (a local URL)
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture
def server(postgres, migrated_template, tmp_path):
    _name, url = postgres.create("psg_ratelimit", template=migrated_template)
    port = free_port()
    env = production_env(
        DATABASE_URL=url,
        PORT=str(port),
        SCRIPT_NAME="/cms",
        # One worker: without Redis each process counts for itself.
        WEB_CONCURRENCY="1",
        RATE_LIMIT_REQUESTS="3",
        RATE_LIMIT_WINDOW="3600",
        REDIS_URL=None,
        STATE_REDIS_URL=None,
    )
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--config", "docker/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if request(port, "/cms/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start:\n" + log_path.read_text()
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


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
