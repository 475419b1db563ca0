"""Under the production server, cached GraphQL answers are sent from its event loop, no thread taken.

Each request goes through `cms.asgi.serve` (the ASGI front `make serve` runs) around the project's
WSGI application, with the response cache in a real Redis. A request that reaches the WSGI
application is recorded: a replay from the event loop never does.
"""

import asyncio
import json
import urllib.parse
import uuid

import pytest
import redis
from django.core.cache import caches

from api.cache import event_loop_cache
from cms.asgi import serve
from cms.generation import bump_generation
from cms.internals.django_redis import RedisCache
from cms.wsgi import application, replay_in_event_loop
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # answers come from threads

REDIS_URL = "redis://127.0.0.1:6379/11"
QUERY = "{ news { items { title } } }"


@pytest.fixture(autouse=True)
def redis_caches(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"psgtest-loop-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        alias: {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-{alias}",
        }
        for alias in ("default", "state")
    }
    settings.RATE_LIMIT_ENABLED = False
    event_loop_cache.cache_clear()
    yield
    event_loop_cache.cache_clear()
    raw = redis.Redis.from_url(REDIS_URL)
    for key in raw.scan_iter(f"{prefix}-*"):
        raw.delete(key)


@pytest.fixture
def news():
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, title="Mining conflict in Cajamarca")
    return news_index


class Server:
    """The production front around the project's WSGI application, counting what reaches it."""

    def __init__(self, replay=replay_in_event_loop):
        self.reached = 0

        def counted(environ, start_response):
            self.reached += 1
            return application(environ, start_response)

        self.app = serve(counted, replay=replay)

    def request(self, method="GET", query=QUERY, headers=(), client="127.0.0.1", body=None):
        if method == "GET" and body is None:
            query_string, payload = urllib.parse.urlencode({"query": query}).encode(), b""
        else:
            query_string, payload = b"", body if body is not None else json.dumps({"query": query}).encode()
        raw_headers = [(b"host", b"localhost"), *((n.encode(), v.encode()) for n, v in headers)]
        if payload:
            raw_headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ]
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": "/graphql/",
            "raw_path": b"/graphql/",
            "query_string": query_string,
            "root_path": "",
            "headers": raw_headers,
            "client": (client, 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = []

        async def receive():
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(self.app(scope, receive, send))
        start = sent[0]
        headers = {name.decode(): value.decode() for name, value in start["headers"]}
        return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_repeated_request_is_answered_from_the_event_loop(news):
    server = Server()
    status, headers, body = server.request()
    assert status == 200 and headers["x-cache"] == "miss" and server.reached == 1
    status, headers, replayed = server.request()
    assert status == 200 and headers["x-cache"] == "hit"
    assert server.reached == 1  # no thread, no WSGI application
    assert replayed == body
    assert json.loads(replayed)["data"]["news"]["items"][0]["title"] == "Mining conflict in Cajamarca"
    assert int(headers["content-length"]) == len(replayed)


def test_the_event_loop_sends_what_the_thread_would(news):
    Server().request()  # kept for replay
    in_loop = Server().request()
    in_thread = Server(replay=None).request()  # the WSGI fast path's replay, in a thread

    def comparable(answer):
        status, headers, body = answer
        return status, {n: v for n, v in headers.items() if n != "x-request-id"}, body

    assert comparable(in_loop) == comparable(in_thread)
    assert in_loop[1]["x-request-id"] != in_thread[1]["x-request-id"]


def test_a_content_change_shows_on_the_very_next_request(news):
    server = Server()
    server.request()
    assert server.request()[1]["x-cache"] == "hit"
    NewsPageFactory(parent=news, title="Violence at Las Bambas, again")
    bump_generation()
    status, headers, body = server.request()
    assert headers["x-cache"] == "miss" and server.reached == 2
    assert "Las Bambas" in body.decode()


def test_a_miss_in_the_event_loop_costs_the_thread_no_second_lookup(news, monkeypatch):
    server = Server()
    server.request()
    backend = caches["default"]
    calls = []
    original = backend.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(type(backend), "get_many", lambda self, keys, *a, **k: counting(keys, *a, **k))
    status, headers, _body = server.request(query="{ news { items { title url } } }")
    assert status == 200 and headers["x-cache"] == "miss"
    # The thread neither looks the replay up again nor reads the generation the event loop read.
    assert not any(any("replay" in key or "generation" in key for key in keys) for keys in calls)


def test_etags_are_answered_304_from_the_event_loop(news):
    server = Server()
    etag = server.request()[1]["etag"]
    status, headers, body = server.request(headers=[("If-None-Match", etag)])
    assert (status, body, server.reached) == (304, b"", 1)
    assert headers["etag"] == etag and "content-type" not in headers


def test_post_bodies_are_replayed_by_their_bytes(news):
    server = Server()
    server.request(method="POST")
    assert server.request(method="POST")[1]["x-cache"] == "hit" and server.reached == 1
    other = json.dumps({"query": "{ news { items { title url } } }"}).encode()
    assert server.request(method="POST", body=other)[1]["x-cache"] == "miss" and server.reached == 2


@pytest.mark.parametrize(
    "header",
    [("Cookie", "sessionid=abc"), ("Authorization", "Bearer nothing")],
)
def test_credentialed_requests_always_reach_django(news, header):
    server = Server()
    server.request()
    server.request(headers=[header])
    assert server.reached == 2


def test_x_forwarded_proto_counts_only_from_the_trusted_proxy(news):
    server = Server()
    # Only the plain http answer is kept so far. A stranger claiming https has the claim dropped
    # before the lookup, so gets that answer replayed; believed, it would miss (no https entry).
    server.request(client="203.0.113.9")
    stranger = server.request(client="203.0.113.9", headers=[("X-Forwarded-Proto", "https")])
    assert stranger[1]["x-cache"] == "hit" and server.reached == 1
    # The proxy (127.0.0.1, FORWARDED_ALLOW_IPS' default) is believed: https is an entry of its own
    # (dropped, the header would have led to the plain entry's hit).
    proxied = server.request(headers=[("X-Forwarded-Proto", "https")])
    assert proxied[1]["x-cache"] == "miss" and server.reached == 2


def test_replays_from_the_event_loop_count_against_the_rate_limit(news, settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 3600
    settings.TRUSTED_PROXIES = []
    server = Server()
    statuses = [server.request(client="198.51.100.7")[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert server.reached == 2  # the first answer, then Django's 429
    # Another address has its own count, and is still replayed.
    status, headers, _body = server.request(client="198.51.100.8")
    assert status == 200 and headers["x-cache"] == "hit"


def test_an_unreachable_redis_costs_the_shortcut_not_the_answer(news, monkeypatch, caplog):
    server = Server()
    server.request()
    # The event loop's connection fails (Django's own, in the thread, still works).
    dead = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr("api.graphql.fast_path.event_loop_cache", lambda alias: dead)
    status, headers, body = server.request()
    assert status == 200 and "Cajamarca" in body.decode()
    assert headers["x-cache"] == "hit" and server.reached == 2  # the thread's fast path replayed it
    assert "fast path skipped in the event loop" in caplog.text


def test_requests_in_one_event_loop_share_one_backend_and_client():
    """`caches[alias]` is a new backend in every asyncio task (asgiref's Local follows the context):
    looked up that way, each request opened its own Redis connections until Redis refused more."""
    from cms.internals.django_redis import async_redis_client

    async def one_request():
        return async_redis_client(event_loop_cache("default"))

    async def several_at_once():
        return await asyncio.gather(*(one_request() for _ in range(3)))

    clients = asyncio.run(several_at_once())
    assert all(client is clients[0] for client in clients)


def test_the_production_application_answers_hits_from_the_event_loop(news, monkeypatch):
    """cms.asgi.application itself, not only serve() as the tests above build it."""
    from cms import asgi

    thread_lookups = []
    monkeypatch.setattr("api.graphql.fast_path._replay", lambda *args: thread_lookups.append(args))
    server = Server()
    server.app = asgi.application
    assert server.request()[1]["x-cache"] == "miss"  # looked up in the loop, answered by Django
    assert server.request()[1]["x-cache"] == "hit"
    assert thread_lookups == []  # neither answer looked the replay up from a thread
