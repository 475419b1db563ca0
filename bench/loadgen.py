"""Drive a URL with wrk for a few seconds; per-request cache-busting through a Lua script.

Falls back to a small threaded Python generator only when wrk is not installed.
"""

import json
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

LUA = r"""
local counter = 0
local threads = {}
local prefix = %(prefix)s
local suffix = %(suffix)s
local bust = %(bust)s
wrk.method = %(method)s
%(body)s
%(headers)s
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  if bust then
    counter = counter + 1
    return wrk.format(nil, prefix .. tid .. "-" .. counter .. suffix)
  end
  return wrk.format(nil, prefix)
end
function done(summary, latency, requests)
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"non2xx":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"timeout":%%d,"p50_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text):
    return "[==[" + text + "]==]"


def busting_url(path, query, variables=None):
    """(prefix, suffix) around a nonce: the same GraphQL query with a new comment each time.

    The response cache keys an answer by the query text and the variables the operation declares
    (an undeclared variable changes nothing), so the nonce goes into a trailing comment. Each such
    query text is new to the process's document cache too: every request is parsed and validated.
    """
    prefix = f"{path}?query={urllib.parse.quote(query + chr(10) + '# ')}"
    suffix = urllib.parse.quote(chr(10))
    if variables:
        suffix += "&variables=" + urllib.parse.quote(json.dumps(variables, separators=(",", ":")))
    return prefix, suffix


def fixed_graphql_url(path, query, variables=None):
    url = f"{path}?query={urllib.parse.quote(query)}"
    if variables:
        url += "&variables=" + urllib.parse.quote(json.dumps(variables, separators=(",", ":")))
    return url


def for_this_run(target):
    """A cache-busting `target` with a nonce of its own: each run's requests are new to the server
    (the counters behind the prefix start again at 1 every run, so without it a run would repeat
    the requests of the one before, the warm-up's included, and find their answers cached)."""
    if "prefix" not in target:
        return target
    return {**target, "prefix": f"{target['prefix']}{secrets.token_hex(4)}-"}


def wrk_command(port, script, seconds, connections, threads):
    """wrk against this machine's server on `port`, driven by the Lua `script` file."""
    return [
        shutil.which("wrk"),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        script,
        f"http://127.0.0.1:{port}",
    ]


def have_wrk():
    return shutil.which("wrk") is not None


def run(port, target, seconds=5, connections=8, threads=2):
    """`target`: {"path"} or {"prefix","suffix"} (cache-busting), optional "method", "body", "headers"."""
    target = for_this_run(target)
    if have_wrk():
        return _run_wrk(port, target, seconds, connections, threads)
    return _run_python(port, target, seconds, connections)


def _run_wrk(port, target, seconds, connections, threads):
    bust = "prefix" in target
    body = target.get("body")
    lua = LUA % {
        "prefix": _lua_string(target["prefix"] if bust else target["path"]),
        "suffix": _lua_string(target.get("suffix", "")),
        "bust": "true" if bust else "false",
        "method": _lua_string(target.get("method", "GET")),
        "body": (f"wrk.body = string.rep('x', {len(body)})" if body is not None else ""),
        "headers": "\n".join(
            f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}"
            for k, v in target.get("headers", {}).items()
        ),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        done = subprocess.run(  # noqa: S603
            wrk_command(port, script.name, seconds, connections, threads),
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}\n{lua}")
        out = done.stdout
    finally:
        Path(script.name).unlink()
    line = next(line for line in out.splitlines() if line.startswith("BENCHJSON "))
    raw = json.loads(line[len("BENCHJSON ") :])
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "non2xx": raw["non2xx"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        "tool": "wrk",
    }


def _run_python(port, target, seconds, connections):
    """Closed-loop fallback: `connections` threads, keep-alive, the same request shapes as the Lua."""
    latencies, non2xx, errors = [], [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    body = target.get("body")

    def worker(tid):
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        counter = 0
        mine = []
        while time.monotonic() < stop:
            counter += 1
            path = (
                f"{target['prefix']}{tid}-{counter}{target['suffix']}"
                if "prefix" in target
                else target["path"]
            )
            began = time.perf_counter()
            try:
                conn.request(target.get("method", "GET"), path, body=body, headers=target.get("headers", {}))
                response = conn.getresponse()
                response.read()
            except OSError:
                with lock:
                    errors[0] += 1
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - began)
            if not 200 <= response.status < 400:
                with lock:
                    non2xx[0] += 1
        with lock:
            latencies.extend(mine)

    began = time.monotonic()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0

    return {
        "rps": len(latencies) / elapsed,
        "requests": len(latencies),
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "non2xx": non2xx[0],
        "socket_errors": errors[0],
        "tool": "python",
    }
