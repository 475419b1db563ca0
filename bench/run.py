"""`make bench`: GraphQL against Wagtail's REST API v2 and a static file, at 1,000 and 10,000 news items.

For each dataset: a PostgreSQL database cloned from a migrated template (psg_bench) and filled by
bench/datasets.py (kept and reused while its fingerprint matches), served by `make serve`'s command
(Granian, two workers, bench/settings.py: production's with the REST API), driven by wrk for a few
seconds per scenario with 8 connections, uncached (a new comment in the query per request),
cached (the same GET repeated) and through Varnish (the same GET, docker/varnish/default.vcl in
front of the server: bench/varnish.py), and cached again from a second server without the
response cache's fast path (bench/no_fast_path.py). SQL queries per request are counted in process
(bench/querycount.py), apart from the load.

Writes bench/results/<date>-<commit>.md and .json and prints the table.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import hostile, loadgen, report  # noqa: E402
from bench.scenarios import NEWS_QUERY, scenarios  # noqa: E402
from bench.varnish import Varnish, varnishd  # noqa: E402

BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = "redis://127.0.0.1:6379/14"
TEMPLATE_DB = "psg_bench"
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", "/var/tmp/psg-bench"))  # noqa: S108
FORMAT_VERSION = "psg-bench-1"
LOAD_BEFORE = os.getloadavg()


# A row of results, a scenario, or what a run writes: JSON-shaped.
Record = dict[str, Any]


def log(message: str) -> None:
    print(message, flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _admin() -> "psycopg.Connection[Any]":
    import psycopg

    parts = urllib.parse.urlsplit(PG_URL)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def db_url(name: str) -> str:
    return f"{PG_URL.rstrip('/')}/{name}"


def db_comment(admin: "psycopg.Connection[Any]", name: str) -> str | None:
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
    ).fetchone()
    return None if row is None else (row[0] or "")


def migrations_fingerprint() -> str:
    import wagtail

    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/*.py"))
    names += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("cms/*/migrations/*.py"))
    material = json.dumps([names, wagtail.__version__, (ROOT / "bench" / "datasets.py").read_bytes().hex()])
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def ensure_template(admin: "psycopg.Connection[Any]", env: dict[str, str]) -> None:
    from psycopg import sql

    if db_comment(admin, TEMPLATE_DB) is None:
        log(f"creating database {TEMPLATE_DB}")
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": db_url(TEMPLATE_DB)},
        check=True,
        timeout=600,
    )
    log(f"{TEMPLATE_DB} migrated ({time.monotonic() - started:.1f}s)")


def ensure_dataset(
    admin: "psycopg.Connection[Any]", env: dict[str, str], n_news: int, n_events: int, rebuild: bool = False
) -> tuple[str, Path]:
    """The database and media of one dataset, reused while its fingerprint matches."""
    from psycopg import sql

    name = f"psg_bench_{n_news}"
    media = DATA_DIR / f"media-{n_news}"
    fingerprint = f"{FORMAT_VERSION} news={n_news} events={n_events} schema={migrations_fingerprint()}"
    if not rebuild and db_comment(admin, name) == fingerprint and media.is_dir():
        log(f"reusing {name} ({fingerprint})")
        return name, media
    log(f"building {name}: {n_news} news items, {n_events} events")
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin.execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(TEMPLATE_DB))
    )
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "bench.datasets", str(n_news), str(n_events)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": db_url(name), "MEDIA_ROOT": str(media), "DB_STATEMENT_TIMEOUT_MS": "0"},
        check=True,
        timeout=1800,
    )
    admin.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(fingerprint))
    )
    log(f"built {name} in {time.monotonic() - started:.1f}s")
    return name, media


# --- Servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http(
    port: int,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 (local URL)
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers or {}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def server_env(database: str, media: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": db_url(database),
        "REDIS_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "false",
        "RATE_LIMIT_ENABLED": "false",
        # Every row's load comes from one address: the uncached rows add thousands of answers, which
        # would spend that address's budget of new cached answers for the window, so the cached row
        # after them could not store its answer and would measure misses. Off, as the rate limit is.
        "GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES": "0",
        "WEB_CONCURRENCY": "2",
        "MEDIA_ROOT": str(media),
    }


class Server:
    """`make serve`'s command: Granian configured by docker/serve.py."""

    def __init__(self, env: dict[str, str], log_path: Path, app: str | None = None) -> None:
        self.env, self.port, self.log_path = env, int(env["PORT"]), log_path
        self.app = [app] if app else []  # another ASGI app under the same configuration

    def __enter__(self) -> Self:
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [str(BIN / "python"), "docker/serve.py", *self.app],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited:\n" + self.log_path.read_text()[-3000:])
            try:
                if http(self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + self.log_path.read_text()[-3000:])
            time.sleep(0.2)

    def worker_rss_mb(self) -> list[float]:
        out = subprocess.run(  # noqa: S603
            ["ps", "-o", "rss=", "--ppid", str(self.process.pid)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [round(int(v) / 1024, 1) for v in out.split()]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


# Django's own WSGI application behind production's front: no response-cache fast path.
NO_FAST_PATH_APP = "bench.no_fast_path:asgi_application"


NGINX_CONF = """
worker_processes 2;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ application/json json; }}
  default_type application/json;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/static;
  }}
}}
"""


class StaticServer:
    """The same JSON as a file: nginx if installed (a ceiling), else Python's http.server."""

    def __init__(self, directory: Path) -> None:
        self.dir, self.port = Path(directory), free_port()
        self.static = self.dir / "static"
        self.static.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)  # noqa: S103 (nginx workers may run as nobody)

    def __enter__(self) -> Self:
        nginx = shutil.which("nginx") or (
            Path("/usr/sbin/nginx") if Path("/usr/sbin/nginx").exists() else None
        )
        if nginx:
            conf = self.dir / "nginx.conf"
            conf.write_text(NGINX_CONF.format(dir=self.dir, port=self.port))
            command = [str(nginx), "-c", str(conf), "-p", str(self.dir)]
            self.name = _first_line([str(nginx), "-v"]).replace("nginx version: ", "")
        else:
            command = [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1"]
            self.name = "python -m http.server"
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=self.static,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                http(self.port, "/")
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"static server did not start: {command}") from None
                time.sleep(0.1)

    def publish(self, name: str, content: bytes) -> str:
        path = self.static / name
        path.write_bytes(content)
        os.chmod(path, 0o644)
        return "/" + name

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


# --- Measuring ----------------------------------------------------------------------------------


def _first_line(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)  # noqa: S603
    except OSError:
        return "?"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "?"


def graphql_get(port: int, query: str, variables: dict[str, Any] | None = None) -> tuple[int, bytes]:
    status, body = http(port, loadgen.fixed_graphql_url("/graphql/", query, variables))
    return status, body


def count_queries(env: dict[str, str], items: list[Record]) -> dict[str, Record]:
    out = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "bench.querycount"],
        cwd=ROOT,
        env=env,
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("QUERYCOUNTS "))
    counts: dict[str, Record] = json.loads(line[len("QUERYCOUNTS ") :])
    return counts


def flush_bench_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def bench_dataset(
    label: str, size: int, database: str, media: Path, static: "StaticServer", seconds: int, workdir: Path
) -> tuple[list[Record], list[float], list[str]]:
    port = free_port()
    env = server_env(database, media, port)
    flush_bench_redis()
    rows: list[Record] = []
    notes: list[str] = []
    edge_dir = workdir / f"varnish-{size}"
    edge_dir.mkdir()
    edge = Varnish(port, edge_dir) if varnishd() else contextlib.nullcontext()
    if not varnishd():
        notes.append("no varnishd: no rows through Varnish (Debian: apt-get install varnish)")
    # The same server, settings and data without the fast path, idle but for its own rows, so that
    # each cached answer is measured with and without it back to back.
    plain_port = free_port()
    plain = Server(
        {**env, "PORT": str(plain_port)}, workdir / f"server-{size}-no-fast-path.log", app=NO_FAST_PATH_APP
    )
    # Wagtail's REST API from a third server with the same settings and data, so the GraphQL
    # server's worker RSS after the run is its own (REST v2 and DRF add about 15 MB to a worker).
    rest_port = free_port()
    rest = Server({**env, "PORT": str(rest_port)}, workdir / f"server-{size}-rest.log")
    with Server(env, workdir / f"server-{label}.log") as server, plain, rest, edge as varnish:
        middle = max(1, min(1000, size // 2))
        status, body = graphql_get(port, f"{{ news(page: {middle}, pageSize: 1) {{ items {{ id path }} }} }}")
        item = json.loads(body)["data"]["news"]["items"][0]
        items = scenarios(item["path"], item["id"])
        counts = count_queries(env, items)
        for scenario in items:  # warm both workers (imports, connections, caches) before measuring
            if scenario["query"] is not None:
                for n in range(4):
                    graphql_get(port, scenario["query"] + f"\n# w{n}\n", scenario["variables"])
                    graphql_get(plain_port, scenario["query"] + f"\n# p{n}\n", scenario["variables"])
            if scenario["rest"]:
                for _ in range(4):
                    http(rest_port, scenario["rest"])
        # A second of unmeasured load on each server's listing, so the first measured row does not
        # pay for the database's and the processes' first moments under load.
        prefix, suffix = loadgen.busting_url("/graphql/", items[0]["query"])
        loadgen.run(port, {"prefix": prefix, "suffix": suffix}, 1)
        loadgen.run(rest_port, {"path": items[0]["rest"]}, 1)
        loadgen.run(plain_port, {"prefix": prefix, "suffix": suffix}, 1)
        for scenario in items:
            key, name = scenario["key"], scenario["name"]
            hostile = scenario.get("hostile")
            base = {"dataset": label, "scenario": name}
            if scenario.get("post_body") is not None:
                headers = {"Content-Type": "application/json"}
                status, body = http(port, "/graphql/", scenario["post_body"].encode(), headers, "POST")
                target = {
                    "path": "/graphql/",
                    "method": "POST",
                    "body": scenario["post_body"],
                    "headers": headers,
                }
                result = loadgen.run(port, target, seconds)
                rows.append(
                    {
                        **base,
                        "server": "GraphQL",
                        "status": str(status),
                        **result,
                        "queries": counts[key]["uncached"],
                        "redis": counts[key]["uncached_redis"],
                    }
                )
                continue
            status, body = graphql_get(port, scenario["query"], scenario["variables"])
            if not hostile:
                if status != 200 or "errors" in json.loads(body):
                    raise RuntimeError(f"{name}: {status} {body[:500]!r}")
            prefix, suffix = loadgen.busting_url("/graphql/", scenario["query"], scenario["variables"])
            result = loadgen.run(port, {"prefix": prefix, "suffix": suffix}, seconds)
            server_name = "GraphQL" if hostile else "GraphQL uncached"
            uncached: Record = {
                **base,
                "server": server_name,
                "status": str(status),
                **result,
                "queries": counts[key]["uncached"],
                "redis": counts[key]["uncached_redis"],
            }
            rows.append(uncached)
            if hostile:
                continue
            fixed = loadgen.fixed_graphql_url("/graphql/", scenario["query"], scenario["variables"])
            cached_status, cached_body = http(port, fixed)  # the answer is now in the cache
            result = loadgen.run(port, {"path": fixed}, seconds)
            rows.append(
                {
                    **base,
                    "server": "GraphQL cached",
                    "status": str(cached_status),
                    **result,
                    "queries": counts[key].get("cached"),
                    "redis": counts[key].get("cached_redis"),
                }
            )
            # Its own response-cache entry (the Host, with its port, is in the key), then hits.
            plain_status, plain_body = http(plain_port, fixed)
            if plain_status != 200 or plain_body != cached_body:
                raise RuntimeError(f"{name} without the fast path: {plain_status} {plain_body[:500]!r}")
            result = loadgen.run(plain_port, {"path": fixed}, seconds)
            rows.append(
                {
                    **base,
                    "server": report.NO_FAST_PATH,
                    "status": str(plain_status),
                    **result,
                    "queries": counts[key].get("cached_no_fast_path"),
                    "redis": counts[key].get("cached_no_fast_path_redis"),
                }
            )
            if varnish is not None:
                edge_status, _ = http(varnish.port, fixed)  # fetched once, then kept
                result = loadgen.run(varnish.port, {"path": fixed}, seconds)
                rows.append(
                    {
                        **base,
                        "server": "GraphQL through Varnish",
                        "status": str(edge_status),
                        **result,
                        "queries": 0,
                        "redis": 0,
                    }
                )
            rest_status, rest_body = http(rest_port, scenario["rest"])
            if rest_status != 200:
                raise RuntimeError(f"{scenario['rest']}: {rest_status} {rest_body[:500]!r}")
            result = loadgen.run(rest_port, {"path": scenario["rest"]}, seconds)
            rows.append(
                {
                    **base,
                    "server": "REST v2",
                    "status": str(rest_status),
                    **result,
                    "queries": counts[key].get("rest"),
                    "redis": counts[key].get("rest_redis"),
                    "bytes": len(rest_body),
                }
            )
            uncached["bytes"] = len(body)
            path = static.publish(f"{size}-{key}.json", body)
            result = loadgen.run(static.port, {"path": path}, seconds)
            rows.append(
                {
                    **base,
                    "server": "static file",
                    "status": "200",
                    **result,
                    "queries": 0,
                    "redis": 0,
                    "bytes": len(body),
                }
            )
        rss = server.worker_rss_mb()
    for app, server_name in FLOORS:
        rows.append(
            measure_floor(
                base_env=env,
                static=static,
                size=size,
                label=label,
                seconds=seconds,
                workdir=workdir,
                app=app,
                server_name=server_name,
            )
        )
    for row in rows:
        if row.get("non2xx") and row["status"] == "200":
            notes.append(f"{label} {row['scenario']} ({row['server']}): {row['non2xx']} non-2xx answers")
        if row.get("socket_errors"):
            notes.append(f"{label} {row['scenario']} ({row['server']}): {row['socket_errors']} socket errors")
    return rows, rss, notes


# bench/floor_app.py: the answer from a thread (as Django's), and from the front's event loop (as
# the fast path's replays).
FLOORS = (
    ("bench.floor_app:asgi_application", "Granian floor"),
    ("bench.floor_app:event_loop_asgi_application", "Granian floor, event loop"),
)


def measure_floor(
    base_env: dict[str, str],
    static: "StaticServer",
    size: int,
    label: str,
    seconds: int,
    workdir: Path,
    app: str,
    server_name: str,
) -> Record:
    """The latest-20 listing's bytes from bench/floor_app.py under the same server configuration."""
    port = free_port()
    env = {**base_env, "PORT": str(port), "BENCH_FLOOR_FILE": str(static.static / f"{size}-news.json")}
    with Server(env, workdir / f"server-floor-{size}.log", app=app):
        result = loadgen.run(port, {"path": "/graphql/"}, seconds)
    return {
        "dataset": label,
        "scenario": "news: latest 20",
        "server": server_name,
        "status": "200",
        **result,
        "queries": 0,
        "redis": 0,
    }


def machine() -> Record:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "load_before": LOAD_BEFORE,
    }


def versions(admin: "psycopg.Connection[Any]") -> Record:
    import django
    import wagtail

    postgres = admin.execute("SHOW server_version").fetchone()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "postgres": postgres[0] if postgres else "?",
        "wrk": (
            _first_line(["wrk", "-v"]).split(" [")[0].replace("debian/", "")
            if loadgen.have_wrk()
            else "not installed (Python load generator)"
        ),
    }


def varnish_version() -> str:
    binary = varnishd()
    # "varnishd (varnish-7.1.1 revision 7cee1c5…)"
    return _first_line([binary, "-V"]).split("(", 1)[-1].split(" revision")[0] if binary else "not installed"


def git(*args: str) -> str:
    command = ["git", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603


def write_results(data: Record) -> Path:
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{data['date']}-{data['commit']}"
    (out_dir / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    m, v = data["machine"], data["versions"]
    lines = [
        f"# Benchmark {data['date']} at {data['commit']}",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}; "
        f"load average before the run {', '.join(f'{x:.2f}' for x in m['load_before'])}, "
        f"after {', '.join(f'{x:.2f}' for x in data['load_after'])} "
        "(other engineers' tests share the machine).",
        f"Versions: Python {v['python']}, Django {v['django']}, Wagtail {v['wagtail']}, "
        f"PostgreSQL {v['postgres']}, {v['wrk']}; static ceiling: {data['static_server']}; "
        f"cache tier: {data['varnish']}.",
        f"Commit {data['commit_full']}{' (working tree had other changes)' if data['dirty'] else ''}.",
        "",
        f"Each row: {data['seconds']} s of load, {data['connections']} connections, against `make serve`'s "
        "Granian (2 workers, bench.settings: production's with the REST API, Redis cache). "
        "*Uncached*: a new comment in "
        "the query per request, so every request is parsed, validated and executed; *cached*: the "
        "same GET repeated (response cache); *through Varnish*: the same GET again, through varnishd "
        "with the compose stack's VCL in front of the same server (every request a hit). "
        "SQL/req and Redis/req (round trips) are counted in "
        "process through the WSGI "
        "application Granian serves, response-cache fast path included (warm process), apart from "
        "the load; production adds a connection health check query per request, not counted. "
        f"*{report.NO_FAST_PATH}*: the same cached GET from a second server with the same settings "
        "and data, running Django's own WSGI application without the response cache's fast path "
        "(bench/no_fast_path.py), measured right after the *cached* row: the answer comes from the "
        "response cache inside Django, as in a deployment without the fast path; its SQL/req and "
        "Redis/req are counted through that application. "
        "*Granian floor*: the same bytes from a WSGI app "
        "that does nothing (bench/floor_app.py) under the same server configuration, answering from "
        "a thread as Django does, the most any answer from Django can do here; *Granian floor, "
        "event loop*: the same bytes sent from the front's event loop, as the fast path sends a "
        "cached answer, the most a replay can do. *REST v2*: Wagtail's REST API from a third server "
        "with the same settings and data (so the GraphQL server's RSS below is its own). Ratios are "
        "req/s of the GraphQL row over REST v2 / the static file of the same scenario.",
        "",
        report.markdown_table(data["rows"]),
        "",
        "## What the fast path buys",
        "",
        "Without the HTTP cache tier a repeated GET reaches the app: req/s and p50 of each cached GET "
        f"with the fast path (*{report.CACHED}*) and without it (*{report.NO_FAST_PATH}*), and the "
        "ratio of their req/s (above 1×: the fast path answers more requests a second).",
        "",
        report.fast_path_markdown(report.fast_path_gains(data["rows"])),
        "",
        "GraphQL server's Granian worker RSS after the run (MB): "
        + "; ".join(f"{label}: {', '.join(map(str, rss))}" for label, rss in data["rss_mb"].items()),
    ]
    if data["notes"]:
        lines += ["", "Notes:", *(f"- {note}" for note in data["notes"])]
    (out_dir / f"{stem}.md").write_text("\n".join(lines) + "\n")
    return out_dir / f"{stem}.md"


def install_tools() -> None:
    """wrk drives the load, nginx is the static-file ceiling and Varnish the cache tier: install them
    where we may (Debian, as root); without nginx the ceiling falls back to Python's http.server, a
    much lower bar, and without Varnish there are no rows through it."""
    missing = [
        package
        for package, present in (
            ("wrk", loadgen.have_wrk()),
            ("nginx-light", shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
            ("varnish", varnishd()),
        )
        if not present
    ]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        log(f"installing {', '.join(missing)}")
        command = ["apt-get", "install", "-y", "-q", *missing]
        if subprocess.run(command, check=False, capture_output=True).returncode:  # noqa: S603
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)  # noqa: S607
            subprocess.run(command, check=False, capture_output=True)  # noqa: S603


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000", help="news items per dataset, comma-separated")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the datasets even if they exist")
    parser.add_argument(
        "--hostile-only",
        action="store_true",
        help="only the hostile inputs (bench/hostile.py), on the first dataset; --seconds defaults to 3",
    )
    args = parser.parse_args(argv)
    if args.hostile_only:
        return main_hostile(args, argv or sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    install_tools()
    admin = _admin()
    build_env = server_env(TEMPLATE_DB, DATA_DIR / "media", 0)
    ensure_template(admin, build_env)
    datasets = [
        ensure_dataset(admin, build_env, int(n), args.events, args.rebuild) for n in args.sizes.split(",")
    ]
    rows, rss, notes = [], {}, []
    static_dir = DATA_DIR / "static-server"
    shutil.rmtree(static_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="psg-bench-") as tmp, StaticServer(static_dir) as static:
        for (database, media), size in zip(datasets, args.sizes.split(","), strict=True):
            label = f"{int(size):,} news"
            log(f"measuring {label}")
            dataset_rows, rss[label], dataset_notes = bench_dataset(
                label, int(size), database, media, static, args.seconds, Path(tmp)
            )
            rows += dataset_rows
            notes += dataset_notes
        static_name = static.name
    report.add_ratios(rows)
    data = {
        "date": datetime.date.today().isoformat(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "commit_full": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "machine": machine(),
        "versions": versions(admin),
        "static_server": static_name,
        "varnish": varnish_version(),
        "seconds": args.seconds,
        "connections": 8,
        "rows": rows,
        "rss_mb": rss,
        "notes": notes,
        "load_after": os.getloadavg(),
    }
    path = write_results(data)
    print()
    print(report.text_table(rows))
    print()
    print("the fast path, cached GETs with / without:")
    print(report.fast_path_text(report.fast_path_gains(rows)))
    print()
    print("worker RSS (MB):", rss)
    for note in notes:
        print("note:", note)
    print(f"\nwritten: {path} (+ .json)")


def main_hostile(args: argparse.Namespace, argv: list[str]) -> None:
    """Each hostile input: one checked request, then wrk for a few seconds counting wrong statuses."""
    seconds = args.seconds if "--seconds" in " ".join(argv) else 3
    size = int(args.sizes.split(",")[0]) if "--sizes" in " ".join(argv) else 1000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    install_tools()
    if not loadgen.have_wrk():
        raise SystemExit("the hostile mode needs wrk (it counts every answer's status in a Lua hook)")
    admin = _admin()
    build_env = server_env(TEMPLATE_DB, DATA_DIR / "media", 0)
    fingerprint = f"{FORMAT_VERSION} news={size} events={args.events} schema={migrations_fingerprint()}"
    if args.rebuild or db_comment(admin, f"psg_bench_{size}") != fingerprint:
        ensure_template(admin, build_env)
    database, media = ensure_dataset(admin, build_env, size, args.events, args.rebuild)
    port = free_port()
    env = server_env(database, media, port)
    flush_bench_redis()
    label = f"{size:,} news"
    log(f"measuring hostile inputs on {label}, {seconds} s each, 8 connections")
    with tempfile.TemporaryDirectory(prefix="psg-bench-") as tmp:
        with Server(env, Path(tmp) / "server-hostile.log") as server:
            rows = hostile.bench(http, port, seconds)
            rss = server.worker_rss_mb()
        # Under attack: the rate limit on, readers from many addresses through a trusted proxy,
        # the attacker one address; the cached latest-20 listing is the legitimate load.
        flush_bench_redis()
        attack_env = {**env, "RATE_LIMIT_ENABLED": "true", "TRUSTED_PROXIES": "127.0.0.1"}
        listing = loadgen.fixed_graphql_url("/graphql/", NEWS_QUERY)
        log(f"measuring a legitimate listing load beside each hostile input, {seconds} s each")
        with Server(attack_env, Path(tmp) / "server-attack.log"):
            http(port, listing)
            baseline, attack = hostile.attack_rows(port, listing, seconds)
    data = {
        "date": datetime.date.today().isoformat(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "commit_full": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "machine": machine(),
        "versions": versions(admin),
        "dataset": label,
        "seconds": seconds,
        "connections": 8,
        "limit_ms": hostile.LIMIT_MS,
        "rows": rows,
        "attack_baseline": baseline,
        "attack_rows": attack,
        "kept_target": hostile.KEPT_TARGET,
        "rss_mb": rss,
        "load_after": os.getloadavg(),
    }
    path = write_hostile_results(data)
    print()
    print(hostile.text_table(rows))
    print()
    print(hostile.attack_text(attack))
    print(f"\nwritten: {path} (+ .json)")
    failed = [r["name"] for r in rows if not r["under_limit"].startswith("yes")]
    if failed:
        print("not under the limit at p50 with the right status:", "; ".join(failed))
    starved = [r["name"] for r in attack if hostile.attack_verdict(r) != "yes"]
    if starved:
        print(f"legitimate load under {hostile.KEPT_TARGET:.0%} (or with errors) beside:", "; ".join(starved))


def write_hostile_results(data: Record) -> Path:
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{data['date']}-{data['commit']}-hostile"
    (out_dir / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    m, v = data["machine"], data["versions"]
    lines = [
        f"# Hostile inputs {data['date']} at {data['commit']}",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}; "
        f"load average before the run {', '.join(f'{x:.2f}' for x in m['load_before'])}, "
        f"after {', '.join(f'{x:.2f}' for x in data['load_after'])} "
        "(other engineers' tests share the machine).",
        f"Versions: Python {v['python']}, Django {v['django']}, Wagtail {v['wagtail']}, "
        f"PostgreSQL {v['postgres']}, {v['wrk']}.",
        f"Commit {data['commit_full']}{' (working tree had other changes)' if data['dirty'] else ''}.",
        "",
        f"Each row: one request sent first and its status and error code checked, then {data['seconds']} s "
        f"of wrk, {data['connections']} connections, against `make serve`'s Granian (2 workers, "
        f"bench.settings, Redis cache, RATE_LIMIT_ENABLED=false) on the {data['dataset']} "
        "dataset. A Lua `response()` hook counts every answer of the run whose status is not the "
        "expected one (*wrong-status answers*); a row with any, or with socket errors, or whose "
        "checked request had the wrong status or code, reads FAIL. GET cases carry a new comment in "
        "the query per request (no answer is served from the cache; error answers are never cached "
        "anyway). *Alone*: the median of 5 sequential requests before the load (no concurrency). "
        f"The limit is {data['limit_ms']} ms.",
        "",
        hostile.markdown_table(data["rows"]),
        "",
        "Granian worker RSS after the run (MB): " + ", ".join(map(str, data["rss_mb"])),
        "",
        "## Under attack",
        "",
        f"The same server with the rate limit on (`RATE_LIMIT_REQUESTS` at its default) and "
        "`TRUSTED_PROXIES=127.0.0.1`. A legitimate load (wrk, 4 connections) reads the cached latest-20 "
        "listing with a new `X-Forwarded-For` address on every request, as many readers behind one proxy "
        f"would; beside it, {data['seconds']} s per row, one attacker address sends each hostile input "
        "above as fast as 4 connections allow (its 429s once over the limit count as right answers). "
        "The last row holds stalled and trickling connections open instead. *Kept*: the listing's "
        f"req/s against the listing alone; the target is at least {data['kept_target']:.0%}.",
        "",
        hostile.attack_markdown(data["attack_baseline"], data["attack_rows"]),
    ]
    (out_dir / f"{stem}.md").write_text("\n".join(lines) + "\n")
    return out_dir / f"{stem}.md"


if __name__ == "__main__":
    main()
