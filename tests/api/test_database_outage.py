"""While the database is down the API answers 503 JSON, and it recovers by itself afterwards."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from api.graphql.view import GraphQLHTTPView

NEWS_QUERY = "{ news { pagination { totalCount } } }"
DB_ERROR = 'connection to server at "db.internal" (10.1.2.3), port 5432 failed: Connection refused'
ROOT = Path(__file__).resolve().parents[2]


def assert_unavailable(status, body):
    assert status == 503, body
    payload = json.loads(body)
    assert "data" not in payload
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    for secret in ("db.internal", "10.1.2.3", "5432", "psg_outage", "OperationalError", "Traceback"):
        assert secret not in body, body


def post_query(client, query=NEWS_QUERY, **extra):
    return client.post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json", **extra
    )


# --- In process, any database -------------------------------------------------------------------


@pytest.mark.django_db
def test_database_error_in_a_resolver_is_503(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError(DB_ERROR)

    monkeypatch.setattr("news.schema.news_items", down)
    response = post_query(client)
    assert_unavailable(response.status_code, response.content.decode())


@pytest.mark.django_db
def test_database_error_outside_the_resolvers_is_503(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError(DB_ERROR)

    monkeypatch.setattr(GraphQLHTTPView, "run", down)
    response = post_query(client)
    assert_unavailable(response.status_code, response.content.decode())
    assert response.json()["errors"][0]["extensions"]["requestId"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_database_error_in_a_middleware_is_503(monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError(DB_ERROR)

    monkeypatch.setattr("api.ratelimit.client_address", down)
    response = post_query(Client(raise_request_exception=False))
    assert_unavailable(response.status_code, response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "script_name"), [("/graphql", ""), ("/graphql/", "/cms")])
def test_database_error_in_a_middleware_is_503_on_every_route_to_the_api(monkeypatch, path, script_name):
    # The slash-less route, and the API under a SCRIPT_NAME prefix set by a proxy: request.path
    # is then `/cms/graphql/`, so matching it instead of path_info answered Django's HTML 500.
    def down(*args, **kwargs):
        raise OperationalError(DB_ERROR)

    monkeypatch.setattr("api.ratelimit.client_address", down)
    response = Client(raise_request_exception=False).post(
        path,
        data=json.dumps({"query": NEWS_QUERY}),
        content_type="application/json",
        SCRIPT_NAME=script_name,
    )
    assert_unavailable(response.status_code, response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "script_name"), [("/graphql", ""), ("/graphql/", "/cms")])
def test_other_error_in_a_middleware_is_json_500_on_every_route_to_the_api(monkeypatch, path, script_name):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("api.ratelimit.client_address", broken)
    response = Client(raise_request_exception=False).post(
        path, data="{}", content_type="application/json", SCRIPT_NAME=script_name
    )
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


@pytest.mark.django_db
def test_other_error_in_a_middleware_is_json_500(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("api.ratelimit.client_address", broken)
    response = post_query(Client(raise_request_exception=False))
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret internals" not in response.content.decode()


@pytest.mark.django_db
def test_session_store_down_still_serves_anonymous_queries(client, monkeypatch, settings):
    from django.contrib.sessions.backends.db import SessionStore

    def down(self):
        raise OperationalError(DB_ERROR)

    monkeypatch.setattr(SessionStore, "load", down)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-key"
    response = post_query(client, "{ __typename }")
    assert response.status_code == 200, response.content


# --- A real outage: the server as `make serve` runs it, against PostgreSQL -------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
requires_postgres = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL pointing at PostgreSQL (the outage is made by refusing connections "
    "to a dedicated database on that server)",
)


SEED = """
from django.core.management import call_command
from wagtail.models import Page

from tests.factories import NewsPageFactory, make_site

call_command("migrate", interactive=False, verbosity=0)
if Page.get_first_root_node() is None:  # the test database may have been flushed
    Page.add_root(instance=Page(title="Root", slug="root"))
NewsPageFactory(parent=make_site()[1], title="Outage test news")
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port, path, body=None, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local URL)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _query(port, **headers):
    # A comment changes nothing in the answer but makes every request distinct, so no cached answer
    # can stand in for the database (an undeclared variable would not: the cache ignores those).
    body = {"query": f"{NEWS_QUERY} # {secrets.token_hex(8)}"}
    return _request(port, "/graphql/", body, headers)


@pytest.fixture
def outage_database(django_db_setup):
    """A database of our own, cloned from the migrated test database (migrating anew takes ~40 s)."""
    import dj_database_url
    import psycopg
    from django.db import connections
    from psycopg import sql

    params = dj_database_url.parse(DATABASE_URL)
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    template = connections["default"].settings_dict["NAME"]
    assert template.startswith("test_"), template  # never clone anything but pytest-django's database
    connections.close_all()  # CREATE DATABASE … TEMPLATE needs the template to be idle
    name = f"psg_outage_{os.getpid()}_{secrets.token_hex(3)}"
    admin = psycopg.connect(dbname="postgres", autocommit=True, **server)
    deadline = time.monotonic() + 10
    while True:
        try:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
            break
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            # Sessions other threads left open (a live server) hold it.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [template],
            )
            time.sleep(0.2)
    url = urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()
    try:
        yield {"name": name, "url": url, "admin": admin, "server": server}
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@requires_postgres
@pytest.mark.django_db(transaction=True)  # makes pytest-django create the migrated test database
def test_outage_answers_503_and_recovers_without_restart(outage_database, tmp_path):
    import psycopg
    from psycopg import sql

    name, admin = outage_database["name"], outage_database["admin"]
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": outage_database["url"],
        "WEB_CONCURRENCY": "2",
    }
    bin_dir = Path(sys.executable).parent
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        # `make serve`'s command.
        server = subprocess.Popen(  # noqa: S603
            [str(bin_dir / "python"), "docker/serve.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # While the workers boot: migrate the clone and give it one news item, so the query
        # below reads the database (with no site at all it would answer without any SQL).
        subprocess.run(  # noqa: S603
            [str(bin_dir / "python"), "manage.py", "shell", "--no-imports", "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log_path.read_text()
            try:
                if _request(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start:\n" + log_path.read_text()
            time.sleep(0.1)

        status, body = _query(port)
        assert status == 200, body
        assert json.loads(body)["data"]["news"]["pagination"]["totalCount"] == 1
        assert _request(port, "/readyz")[0] == 200

        # The outage: no new connections, and the open ones (the workers' persistent ones) cut.
        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name)))
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(dbname=name, connect_timeout=5, **outage_database["server"]).close()

        # Several requests, so both workers meet the outage; one carries a session cookie.
        for headers in ({}, {}, {}, {"Cookie": "sessionid=abc"}):
            assert_unavailable(*_query(port, **headers))
        status, body = _request(port, "/readyz")
        assert (status, json.loads(body)["checks"]["database"]) == (503, "error")
        log = log_path.read_text()
        assert "Database unavailable" in log and "OperationalError" in log

        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name)))
        for _ in range(4):
            status, body = _query(port)
            assert status == 200, body
            assert json.loads(body)["data"]["news"]["pagination"]["totalCount"] == 1
        assert _request(port, "/readyz")[0] == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait(timeout=5)
