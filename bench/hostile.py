"""`make bench-hostile` (`bench/run.py --hostile-only`): each hostile input class, under load.

Each case is first sent once and its status and error code checked; then wrk drives it for a few
seconds with 8 connections while a Lua `response()` hook counts every answer whose status is not
the expected one, so a row cannot pass with the wrong status. Against `make serve`'s Granian on
the 1,000-item dataset (RATE_LIMIT_ENABLED=false, as in `make bench`).
"""

import contextlib
import json
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench import loadgen

LIMIT_MS = 200

_F = "siteSettings { organisationName }"

# Over GRAPHQL_LIMITS: MAX_DEPTH 10, MAX_ROOT_FIELDS 10, MAX_ALIASES 20, MAX_TOKENS 2,000,
# MAX_QUERY_CHARS 10,000, MAX_BODY_BYTES 20,000; API_MAX_PAGE_SIZE 50, API_MAX_SEARCH_LENGTH 100.
DEEP_QUERY = "{ news { items { " + "topics { " * 10 + "name" + " }" * 10 + " } } }"  # depth 13
ROOT_FIELDS_QUERY = (
    "{ " + " ".join(f"r{n}: {_F}" for n in range(8)) + " " + " ".join([_F] * 8) + " }"
)  # 16 root fields (8 aliased, 8 not): under MAX_ALIASES, over MAX_ROOT_FIELDS
ALIASES_2000_QUERY = (
    "{ " + " ".join(f"a{n}: news(pageSize: 50) {{ items {{ title }} }}" for n in range(2000)) + " }"
)
# Depth 301, 603 tokens: graphql-core's parser refuses it ("nested too deeply") before our rule runs.
DEEPER_QUERY = "{ " + "a { " * 300 + "b" + " }" * 300 + " }"
TOKENS_QUERY = "{ " + "a " * 2500 + "}"  # 2,502 tokens in 5,003 characters (MAX_QUERY_CHARS 10,000)
UNDEFINED_FRAGMENT_QUERY = "{ news { items { ...Missing } } }"
PAGE_SIZE_QUERY = "{ news(pageSize: 10000) { items { title } } }"
PAGE_QUERY = "{ news(page: 100000) { items { title } } }"
SEARCH_QUERY = "query Search($q: String!) { search(query: $q) { items { title } } }"
MUTATION_QUERY = "mutation { deletePage(id: 1) { ok } }"
# The shape of a TimestampSigner token (value:timestamp:signature) with a made-up signature.
FORGED_TOKEN = "id=42;page_type=news.newspage:1vQx2b:" + "A" * 43
PREVIEW_QUERY = "query Preview($t: String!) { preview(token: $t) { title } }"

# 26 fragments, each spreading the next one twice: 2**26 expansions if every spread is walked again.
FRAGMENT_CHAIN_QUERY = (
    "query Chain { ...F0 } "
    + " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(26))
    + " fragment F26 on Query { siteSettings { organisationName } }"
)
FRAGMENT_CYCLE_QUERY = " ".join(
    [
        "query Cycle { ...A }",
        "fragment A on Query { ...B }",
        "fragment B on Query { siteSettings { organisationName } ...A }",
    ]
)
PATH_QUERY = "query P($p: String!) { page(path: $p) { title } }"
EVENTS_FROM_QUERY = "query E($from: Date) { events(startsFrom: $from) { items { title } } }"
ORDER_QUERY = "query O($o: NewsOrder) { news(order: $o) { items { title } } }"
# Variables nested 1,100 deep: json.loads would recurse 1,100 times.
DEEP_VARIABLES_BODY = (
    '{"query":"{ siteSettings { organisationName } }","variables":{"a":' + "[" * 1100 + "]" * 1100 + "}}"
)
# A JSON escape for a lone surrogate: valid JSON, but no UTF-8 for it exists.
SURROGATE_BODY = (
    '{"query":"query P($p: String!) { page(path: $p) { title } }","variables":{"p":"/news/\\ud800/"}}'
)

JSON = {"Content-Type": "application/json"}


def _post(query, variables=None):
    payload = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    return json.dumps(payload, separators=(",", ":"))


def cases():
    """Each: name, the request (GET query and variables, or method, body and headers), expected statuses
    and error code (None: any)."""
    return [
        {
            "name": "query nested 13 deep (MAX_DEPTH 10)",
            "query": DEEP_QUERY,
            "expect": [400],
            "code": "QUERY_TOO_COMPLEX",
        },
        {
            "name": "query nested 301 deep (POST)",
            "method": "POST",
            "body": _post(DEEPER_QUERY),
            "headers": JSON,
            "expect": [400],
            "code": "GRAPHQL_PARSE_FAILED",
        },
        {
            "name": "16 root fields (MAX_ROOT_FIELDS 10)",
            "query": ROOT_FIELDS_QUERY,
            "expect": [400],
            "code": "QUERY_TOO_COMPLEX",
        },
        {
            "name": f"2,000 aliased news(pageSize: 50) ({len(ALIASES_2000_QUERY) // 1000} KB, POST)",
            "method": "POST",
            "body": _post(ALIASES_2000_QUERY),
            "headers": JSON,
            "expect": [400, 413],
            "code": None,
        },
        {
            "name": "0.4 MB junk POST",
            "method": "POST",
            "body": "x" * 400_000,
            "headers": JSON,
            "expect": [413],
            "code": "REQUEST_TOO_LARGE",
        },
        {
            "name": f"{len(TOKENS_QUERY):,}-char query, 2,502 tokens (POST)",
            "method": "POST",
            "body": _post(TOKENS_QUERY),
            "headers": JSON,
            "expect": [400],
            "code": "QUERY_TOO_COMPLEX",  # counted before parsing
        },
        {
            "name": "undefined fragment",
            "query": UNDEFINED_FRAGMENT_QUERY,
            "expect": [400],
            "code": "GRAPHQL_VALIDATION_FAILED",
        },
        {
            "name": "invalid JSON body",
            "method": "POST",
            "body": '{"query": "{ siteSettings {',
            "headers": JSON,
            "expect": [400],
            "code": "BAD_REQUEST",
        },
        {
            "name": "JSON batch of 2",
            "method": "POST",
            "body": json.dumps([{"query": f"{{ {_F} }}"}] * 2),
            "headers": JSON,
            "expect": [400],
            "code": "BATCH_NOT_SUPPORTED",
        },
        {"name": "pageSize: 10000", "query": PAGE_SIZE_QUERY, "expect": [400], "code": "BAD_USER_INPUT"},
        {"name": "page: 100000", "query": PAGE_QUERY, "expect": [400], "code": "BAD_USER_INPUT"},
        {
            "name": "101-char search term",
            "query": SEARCH_QUERY,
            "variables": {"q": "a" * 101},
            "expect": [400],
            "code": "BAD_USER_INPUT",
        },
        {
            "name": "10 KB search term (POST variable)",
            "method": "POST",
            "body": _post(SEARCH_QUERY, {"q": "a" * 10_000}),
            "headers": JSON,
            "expect": [400, 413],
            "code": None,
        },
        {
            "name": "10 KB search term (inline in the query, POST)",
            "method": "POST",
            "body": _post('{ search(query: "' + "a" * 10_000 + '") { items { title } } }'),
            "headers": JSON,
            "expect": [400, 413],
            "code": None,
        },
        # Over GRAPHQL_MAX_QUERY_CHARS: refused by the view before parsing (413).
        {
            "name": "10 KB search term (inline, GET URL)",
            "query": '{ search(query: "' + "a" * 10_000 + '") { items { title } } }',
            "expect": [413, 414],
            "code": None,
            "bust": False,
        },
        {"name": "mutation over GET", "query": MUTATION_QUERY, "expect": [405], "code": "METHOD_NOT_ALLOWED"},
        {
            "name": "PUT",
            "method": "PUT",
            "body": _post(f"{{ {_F} }}"),
            "headers": JSON,
            "expect": [405],
            "code": "METHOD_NOT_ALLOWED",
        },
        {
            "name": "forged preview token",
            "query": PREVIEW_QUERY,
            "variables": {"t": FORGED_TOKEN},
            "expect": [400],
            "code": "PREVIEW_TOKEN_INVALID",
        },
        {
            "name": "26 fragments, each spreading the next twice (1 KB, POST)",
            "method": "POST",
            "body": _post(FRAGMENT_CHAIN_QUERY),
            "headers": JSON,
            "expect": [400],
            "code": "QUERY_TOO_COMPLEX",
        },
        {
            "name": "fragment cycle",
            "method": "POST",
            "body": _post(FRAGMENT_CYCLE_QUERY),
            "headers": JSON,
            "expect": [400],
            "code": None,
        },
        {
            "name": "NUL byte in page(path:)",
            "query": PATH_QUERY,
            "variables": {"p": "/news/a\x00b/"},
            "expect": [400],
            "code": "BAD_USER_INPUT",
        },
        {
            "name": "lone surrogate in a variable (POST)",
            "method": "POST",
            "body": SURROGATE_BODY,
            "headers": JSON,
            "expect": [400],
            "code": "BAD_USER_INPUT",
        },
        {
            "name": "events(startsFrom: 0001-01-01)",
            "query": EVENTS_FROM_QUERY,
            "variables": {"from": "0001-01-01"},
            "expect": [400],
            "code": "BAD_USER_INPUT",
        },
        {
            "name": "variables nested 1,100 deep (POST)",
            "method": "POST",
            "body": DEEP_VARIABLES_BODY,
            "headers": JSON,
            "expect": [400],
            "code": None,
        },
        {
            "name": "enum variable one letter off (no suggestion)",
            "query": ORDER_QUERY,
            "variables": {"o": "NEWEST_FIRS"},
            "expect": [400],
            "code": "BAD_USER_INPUT",
            "absent": "Did you mean",
        },
        {"name": "feed ?topic=%00", "path": "/feeds/news.rss?topic=%00", "expect": [400], "code": None},
        {"name": "embed ?topic=a%00b", "path": "/embed/news/?topic=a%00b", "expect": [400], "code": None},
        {"name": "embed ?count=%C2%B2", "path": "/embed/news/?count=%C2%B2", "expect": [400], "code": None},
        {
            "name": "rendition a%00b.png",
            "path": "/media/images/a%00b.png",
            "expect": [400, 404],
            "code": None,
        },
        {
            "name": "missing page on the CMS host",
            "path": "/news/no-such-item/",
            "expect": [404],
            "code": None,
        },
    ]


LUA = r"""
local threads = {}
local method = %(method)s
local prefix = %(prefix)s
local suffix = %(suffix)s
local bust = %(bust)s
local body = %(body)s
local headers = {}
%(headers)s
local expected = {%(expected)s}
local counter = 0
wrong = 0
statuses = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  local path = prefix
  if bust then
    counter = counter + 1
    path = prefix .. tid .. "-" .. counter .. suffix
  end
  return wrk.format(method, path, headers, body)
end
function response(status, hdrs, resp_body)
  if not expected[status] then
    wrong = wrong + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end
function done(summary, latency, requests)
  local total_wrong = 0
  local seen = {}
  for _, thread in ipairs(threads) do
    total_wrong = total_wrong + thread:get("wrong")
    local s = thread:get("statuses")
    for k, v in pairs(s) do seen[#seen + 1] = '"' .. k .. '":' .. v end
  end
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"wrong_status":%%d,"wrong":{%%s},"connect":%%d,' ..
    '"read":%%d,"write":%%d,"timeout":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d}\n',
    summary.requests, summary.duration, total_wrong, table.concat(seen, ","), summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _lua_string(text):
    return "[==[" + text + "]==]"


def target(case):
    """(method, path or (prefix, suffix), body, headers, bust) for one case."""
    method = case.get("method", "GET")
    if "path" in case:  # a route other than /graphql/, sent as it is
        return method, case["path"], "", case.get("body"), case.get("headers", {}), False
    if method == "GET":
        if case.get("bust", True):
            prefix, suffix = loadgen.busting_url("/graphql/", case["query"], case.get("variables"))
            return method, prefix, suffix, None, {}, True
        return (
            method,
            loadgen.fixed_graphql_url("/graphql/", case["query"], case.get("variables")),
            "",
            None,
            {},
            False,
        )
    return method, "/graphql/", "", case["body"], case.get("headers", {}), False


def check_once(http, port, case):
    """One request: its status and error code, before the load."""
    method, prefix, suffix, body, headers, bust = target(case)
    path = prefix + ("0-0" + suffix if bust else "")
    try:
        status, answer = http(port, path, body.encode() if body is not None else None, headers, method)
    except OSError as error:  # a timeout is the worst answer a case can get: its row fails
        return {"status": type(error).__name__, "code": None, "bytes": 0, "check_ok": False}
    try:
        code = json.loads(answer)["errors"][0]["extensions"]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        code = None
    ok = status in case["expect"] and (case["code"] is None or case["code"] == code)
    if case.get("absent") and case["absent"].encode() in answer:
        ok = False
    return {"status": status, "code": code, "bytes": len(answer), "check_ok": ok}


def run_wrk(port, case, seconds, connections=8, threads=2, extra_headers=None, also_expect=()):
    """wrk on one case; `extra_headers` (e.g. X-Forwarded-For) and `also_expect` (e.g. 429) for the
    under-attack phase, where the hostile client is one address and the rate limit is on."""
    method, prefix, suffix, body, headers, bust = target(case)
    headers = {**headers, **(extra_headers or {})}
    expected = [*case["expect"], *also_expect]
    lua = LUA % {
        "method": _lua_string(method),
        "prefix": _lua_string(prefix),
        "suffix": _lua_string(suffix),
        "bust": "true" if bust else "false",
        "body": _lua_string(body) if body is not None else "nil",
        "headers": "\n".join(f"headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()),
        "expected": ", ".join(f"[{s}] = true" for s in expected),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        done = subprocess.run(  # noqa: S603
            loadgen.wrk_command(port, script.name, seconds, connections, threads),
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    finally:
        Path(script.name).unlink()
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCHJSON ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result for {case['name']}:\n{done.stdout}\n{done.stderr}")
    line = lines[0]
    raw = json.loads(line[len("BENCHJSON ") :])
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "wrong_status": raw["wrong_status"],
        "wrong": raw["wrong"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
    }


def verdict(row):
    if not row["check_ok"] or row["wrong_status"] or row["socket_errors"]:
        return "FAIL (status)"
    return f"{'yes' if row['p50_ms'] < LIMIT_MS else 'NO'} / {'yes' if row['p99_ms'] < LIMIT_MS else 'NO'}"


def _ms(v):
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def markdown_table(rows):
    lines = [
        "| hostile input | expected | status (code) | wrong-status answers | alone ms | req/s | p50 ms "
        "| p99 ms | under 200 ms p50 / p99 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {'/'.join(map(str, r['expect']))} | {r['status']} ({r['code']}) "
            f"| {r['wrong_status']} of {r['requests']:,} | {_ms(r['alone_ms'])} | {r['rps']:,.0f} "
            f"| {_ms(r['p50_ms'])} | {_ms(r['p99_ms'])} | {verdict(r)} |"
        )
    return "\n".join(lines)


def text_table(rows):
    out = []
    for r in rows:
        out.append(
            f"{r['name'][:52]:52} {r['status']:>4} {str(r['code'])[:26]:26} wrong={r['wrong_status']:<4} "
            f"alone {_ms(r['alone_ms']):>5}  {r['rps']:7.0f} req/s  p50 {_ms(r['p50_ms']):>6}  "
            f"p99 {_ms(r['p99_ms']):>6}  {verdict(r)}"
        )
    return "\n".join(out)


def bench(http, port, seconds):
    rows = []
    all_cases = cases()
    alone = {}
    for case in all_cases:  # warm both workers; the last 5 of 6 sequential requests timed (no load)
        times = []
        for _ in range(6):
            began = time.perf_counter()
            check_once(http, port, case)
            times.append((time.perf_counter() - began) * 1000)
        alone[case["name"]] = statistics.median(times[1:])
    for case in all_cases:
        row = {
            "name": case["name"],
            "expect": case["expect"],
            "expected_code": case["code"],
            "alone_ms": alone[case["name"]],
            **check_once(http, port, case),
        }
        row.update(run_wrk(port, case, seconds))
        row["under_limit"] = verdict(row)
        rows.append(row)
        print(text_table([row]), flush=True)
    return rows


# --- Under attack: a legitimate listing load beside each hostile input ----------------------------

# Readers come from many addresses (X-Forwarded-For from a trusted proxy at 127.0.0.1, a new one
# every request), so the per-address limit never touches them; the attacker is one address.
LEGIT_LUA = r"""
local counter = 0
local threads = {}
local path = %(path)s
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local n = tid * 1000000 + counter
  local headers = {}
  local a, b = math.floor(n / 65536) %% 256, math.floor(n / 256) %% 256
  headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", a, b, n %% 256)
  return wrk.format("GET", path, headers)
end
function done(summary, latency, requests)
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"non2xx":%%d,"errors":%%d,"p50_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
ATTACKER = "203.0.113.66"


def _start_legit(port, path, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LEGIT_LUA % {"path": _lua_string(path)})
    process = subprocess.Popen(  # noqa: S603
        loadgen.wrk_command(port, script.name, seconds, connections, 1),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, Path(script.name)


def _finish_legit(started, seconds):
    process, script = started
    try:
        out, err = process.communicate(timeout=seconds + 30)
    finally:
        script.unlink()
    line = next((line for line in out.splitlines() if line.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk (legitimate load) printed no result:\n{out}\n{err}")
    raw = json.loads(line[len("BENCHJSON ") :])
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "non2xx": raw["non2xx"],
        "errors": raw["errors"],
        "p50_ms": raw["p50_us"] / 1000,
    }


def legit_alone(port, path, seconds, connections=4):
    return _finish_legit(_start_legit(port, path, seconds, connections), seconds)


def under_attack(port, path, case, seconds, connections=4):
    """The legitimate listing's req/s while one attacker address sends `case` as fast as it can."""
    started = _start_legit(port, path, seconds, connections)
    hostile = run_wrk(
        port,
        case,
        seconds,
        connections=connections,
        threads=1,
        extra_headers={"X-Forwarded-For": ATTACKER},
        also_expect=(429,),
    )
    legit = _finish_legit(started, seconds)
    return legit, hostile


class Tricklers:
    """Sockets that hold requests open: a POST's headers then a body byte a second, a request line
    sent a byte a second, and connections that send nothing."""

    def __init__(self, port, count):
        self.port, self.count = port, count
        self.stop = threading.Event()
        self.sockets = []

    def __enter__(self):
        for n in range(self.count):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            kind = n % 3
            if kind == 0:
                sock.sendall(
                    b"POST /graphql/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100000\r\n\r\n{"
                )
            elif kind == 1:
                sock.sendall(b"G")
            self.sockets.append((kind, sock))
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()
        return self

    def _trickle(self):
        while not self.stop.wait(1):
            for kind, sock in self.sockets:
                with contextlib.suppress(OSError):
                    if kind == 0:
                        sock.sendall(b" ")
                    elif kind == 1:
                        sock.sendall(b"E")

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for _kind, sock in self.sockets:
            sock.close()


def attack_rows(port, path, seconds, tricklers=48):
    """Each hostile case (and stalled clients) beside the legitimate listing: its req/s kept."""
    # The listing alone before, halfway and after: its median is the baseline, so drift in what
    # else the machine does over the run weighs on no row in particular.
    alone = [legit_alone(port, path, seconds)]
    rows = []
    all_cases = cases()
    for n, case in enumerate(all_cases):
        if n == len(all_cases) // 2:
            alone.append(legit_alone(port, path, seconds))
        legit, hostile = under_attack(port, path, case, seconds)
        rows.append(
            {
                "name": case["name"],
                "legit_rps": legit["rps"],
                "kept": legit["rps"] / alone[0]["rps"],  # against the median, once it is known
                "legit_bad": legit["non2xx"] + legit["errors"],
                "attacker_rps": hostile["rps"],
                "attacker_wrong": hostile["wrong_status"] + hostile["socket_errors"],
            }
        )
        print(attack_text([rows[-1]]), flush=True)
    with Tricklers(port, tricklers):
        legit = legit_alone(port, path, seconds)
    rows.append(
        {
            "name": f"{tricklers} stalled or trickling connections",
            "legit_rps": legit["rps"],
            "kept": legit["rps"] / alone[0]["rps"],
            "legit_bad": legit["non2xx"] + legit["errors"],
            "attacker_rps": 0.0,
            "attacker_wrong": 0,
        }
    )
    print(attack_text([rows[-1]]), flush=True)
    alone.append(legit_alone(port, path, seconds))
    baseline = sorted(alone, key=lambda run: run["rps"])[1]
    for row in rows:
        row["kept"] = row["legit_rps"] / baseline["rps"]
    return baseline, rows


KEPT_TARGET = 0.8


def attack_verdict(row):
    return (
        "yes" if row["kept"] >= KEPT_TARGET and not row["legit_bad"] and not row["attacker_wrong"] else "NO"
    )


def attack_text(rows):
    return "\n".join(
        f"{r['name'][:52]:52} legit {r['legit_rps']:7.0f} req/s "
        f"({r['kept']:.0%} kept, {r['legit_bad']} bad)  "
        f"attacker {r['attacker_rps']:6.0f} req/s ({r['attacker_wrong']} wrong)  {attack_verdict(r)}"
        for r in rows
    )


def attack_markdown(baseline, rows):
    lines = [
        f"Legitimate listing alone: {baseline['rps']:,.0f} req/s (the median of three runs: before the "
        "rows, halfway and after).",
        "",
        "| beside the legitimate load | listing req/s | kept | listing errors | attacker req/s "
        "| attacker wrong answers | at least 80% kept |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['legit_rps']:,.0f} | {r['kept']:.0%} | {r['legit_bad']} "
            f"| {r['attacker_rps']:,.0f} | {r['attacker_wrong']} | {attack_verdict(r)} |"
        )
    return "\n".join(lines)
