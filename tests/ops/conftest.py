"""Helpers for the operations tests: the project's commands run as subprocesses, as a deployment
runs them, against throwaway PostgreSQL databases when DATABASE_URL points at PostgreSQL."""

import os
import re
import secrets
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
IS_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
requires_postgres = pytest.mark.skipif(
    not IS_POSTGRES, reason="needs DATABASE_URL pointing at PostgreSQL (throwaway databases are made there)"
)


def production_env(**overrides):
    """The environment `make serve` needs, with throwaway secrets."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


class Postgres:
    """CREATE/DROP DATABASE on the server of DATABASE_URL."""

    def __init__(self):
        import dj_database_url
        import psycopg

        params = dj_database_url.parse(DATABASE_URL)
        self.server = {
            "host": params["HOST"] or "127.0.0.1",
            "port": params["PORT"] or 5432,
            "user": params["USER"],
            "password": params["PASSWORD"] or None,
        }
        self.admin = psycopg.connect(dbname="postgres", autocommit=True, **self.server)
        self.created = []

    def create(self, prefix, template=None):
        """A new database (empty, or a copy of `template`); returns (name, url)."""
        import psycopg
        from psycopg import sql

        name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        deadline = time.monotonic() + 10
        while True:
            try:
                self.admin.execute(statement)
                break
            except psycopg.errors.ObjectInUse:  # the template still has a session open
                if time.monotonic() > deadline:
                    raise
                # Sessions other threads left open (a live server) hold it.
                self.admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [template],
                )
                time.sleep(0.2)
        self.created.append(name)
        return name, urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()

    def connect(self, name):
        import psycopg

        return psycopg.connect(dbname=name, autocommit=True, **self.server)

    def close(self):
        from psycopg import sql

        for name in self.created:
            self.admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        self.admin.close()


@pytest.fixture
def postgres():
    if not IS_POSTGRES:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    server = Postgres()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def migrated_template(django_db_setup, django_db_blocker):
    """The name of pytest-django's migrated test database, idle, to copy with TEMPLATE."""
    from django.db import connections

    template = connections["default"].settings_dict["NAME"]
    assert template.startswith("test_"), template  # never copy anything but the test database
    connections.close_all()
    return template


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_serve_command():
    """The server command of `make serve`, with this virtualenv's Python."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    (line,) = [line for line in recipe.splitlines() if "docker/serve.py" in line]
    words = shlex.split(line.strip())
    index = words.index("$(PY)")
    return [str(BIN / "python"), *words[index + 1 :]], words


class ProductionServer:
    """`make serve`'s server command as a process (after collectstatic), stopped on exit."""

    health_path = "/healthz"

    def __init__(self, env, log_path):
        self.env = env
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path

    def __enter__(self):
        command, _ = make_serve_command()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert self.process.poll() is None, self.log_path.read_text()
                try:
                    with urllib.request.urlopen(f"{self.base}{self.health_path}", timeout=5) as response:  # noqa: S310
                        if response.status == 200:
                            return self
                except OSError:
                    pass
                assert time.monotonic() < deadline, self.log_path.read_text()
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        try:
            os.kill(self.process.pid, signal.SIGTERM)  # as `docker stop` does: the main process only
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def collectstatic(env):
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def served_database_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """A migrated database for a server process: a copy of pytest-django's test database."""
    from django.db import connections

    with django_db_blocker.unblock():
        connection = connections["default"]
        if connection.vendor == "sqlite":  # in memory: copied with SQLite's backup API
            path = tmp_path_factory.mktemp("database") / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            yield f"sqlite:///{path}"
            return
        template = connection.settings_dict["NAME"]
        assert template.startswith("test_"), template
        connections.close_all()
    server = Postgres()
    try:
        yield server.create("psg_server", template=template)[1]
    finally:
        server.close()
