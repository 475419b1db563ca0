"""Repeated anonymous GraphQL requests are answered before Django, byte for byte as Django would."""

import datetime
import json
import logging
import re
import urllib.parse
from wsgiref.headers import Headers

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from api.graphql.fast_path import ResponseCacheFastPath
from api.graphql.response_cache import FAST_PATH_MARKER
from cms.generation import bump_generation
from cms.wsgi import application
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

QUERY = "{ news { items { title } pagination { totalCount } } }"
HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # As Django's test client does: the handler would otherwise close the connection that holds
    # the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def news_index():
    _home, news_index, _events = make_site()
    return news_index


class Answer:
    def __init__(self, status, headers, body, through_django, queries):
        self.status_code = int(status.split()[0])
        self.headers, self.body = Headers(list(headers)), body
        self.through_django, self.queries = through_django, queries

    def json(self):
        return json.loads(self.body)

    def replayable_headers(self):
        """Every header but the ones made afresh for each answer."""
        return sorted(
            (n.lower(), v) for n, v in self.headers.items() if n.lower() not in ("x-request-id", "x-cache")
        )


def environ(method="GET", query=QUERY, path="/graphql/", **extra):
    factory = RequestFactory()
    if method == "GET":
        request = factory.get(path, {"query": query})
    else:
        request = factory.post(path, data=json.dumps({"query": query}), content_type="application/json")
    return {**request.environ, **extra}


def call(environ, app=application):
    """One request through the WSGI callable the server runs, as a WSGI server would make it."""
    sent, entered = [], []

    def start_response(status, headers, exc_info=None):
        sent[:] = [status, headers]

    def started(**_kwargs):
        entered.append(True)

    request_started.connect(started)
    try:
        with CaptureQueriesContext(connection) as queries:
            result = app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
    finally:
        request_started.disconnect(started)
    return Answer(*sent, body, bool(entered), len(queries.captured_queries))


def get(query=QUERY, **extra):
    return call(environ("GET", query, **extra))


def post(query=QUERY, **extra):
    return call(environ("POST", query, **extra))


def titles(answer):
    return [item["title"] for item in answer.json()["data"]["news"]["items"]]


def test_wsgi_application_is_the_fast_path_around_django():
    assert isinstance(application, ResponseCacheFastPath)


@pytest.mark.parametrize("send", [get, post], ids=["GET", "POST"])
def test_a_repeated_request_is_replayed_without_entering_django(settings, news_index, send):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    NewsPageFactory(parent=news_index, title="First")
    origin = {"HTTP_ORIGIN": "https://frontend.test"}
    first = send(**origin)
    assert first.through_django and first.headers["X-Cache"] == "miss"

    again = send(**origin)
    assert not again.through_django and again.queries == 0
    assert again.status_code == 200 and again.body == first.body
    assert titles(again) == ["First"]
    assert again.headers["X-Cache"] == "hit"
    assert again.replayable_headers() == first.replayable_headers()
    # Among them, what Django's middleware and the view added: security, CORS, caching.
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert again.headers["X-Frame-Options"] == "DENY"
    assert again.headers["Access-Control-Allow-Origin"] == "https://frontend.test"
    assert again.headers["Content-Length"] == str(len(again.body))
    expected_cache_control = "public, max-age=60" if send is get else "no-cache"
    assert again.headers["Cache-Control"].startswith(expected_cache_control)
    assert (again.headers["ETag"] is not None) == (send is get)


def test_a_django_cache_hit_is_kept_for_the_fast_path_too(news_index):
    NewsPageFactory(parent=news_index, title="First")
    assert post().headers["X-Cache"] == "miss"
    # The same query by GET: a new request for the fast path, a hit for the response cache.
    by_get = get()
    assert by_get.through_django and by_get.headers["X-Cache"] == "hit"
    again = get()
    assert not again.through_django and again.body == by_get.body


def test_a_django_cache_hit_is_served_even_when_its_expiry_needs_the_absent_database(monkeypatch, news_index):
    from api import visibility
    from cms.generation import current_generation

    NewsPageFactory(parent=news_index, title="First")
    get()
    # The visibility facts gone from the cache and the process, and the database down.
    caches["default"].delete(f"visibility:facts:{current_generation()}")
    monkeypatch.setattr(visibility, "_process_facts", None)

    def down(now):
        raise OperationalError("connection refused")

    monkeypatch.setattr(visibility, "_compute_facts", down)
    other_origin = {"HTTP_ORIGIN": "https://partner.example"}
    for _ in range(2):
        answer = get(**other_origin)
        assert answer.through_django and answer.headers["X-Cache"] == "hit"
        assert titles(answer) == ["First"]


def test_each_replay_has_its_own_request_id(news_index):
    get()
    assert get(HTTP_X_REQUEST_ID="from-the-frontend").headers["X-Request-ID"] == "from-the-frontend"
    for unsafe in ("<script>", "x" * 65):
        replayed = get(HTTP_X_REQUEST_ID=unsafe)
        assert not replayed.through_django
        assert HEX_ID.match(replayed.headers["X-Request-ID"])
    assert get().headers["X-Request-ID"] != get().headers["X-Request-ID"]


def test_a_matching_etag_is_answered_304_as_django_does(news_index):
    first = get()
    conditional = environ(HTTP_IF_NONE_MATCH=f'"other", {first.headers["ETag"]}')
    by_django = call(dict(conditional), app=application.application)
    assert by_django.status_code == 304

    replayed = call(dict(conditional))
    assert not replayed.through_django
    assert replayed.status_code == 304 and replayed.body == b""
    assert replayed.replayable_headers() == by_django.replayable_headers()
    assert "X-Cache" not in replayed.headers and replayed.headers["X-Request-ID"]

    stale = get(HTTP_IF_NONE_MATCH='"other"')
    assert not stale.through_django and stale.status_code == 200


def test_publishing_is_visible_on_the_very_next_request(news_index):
    page = NewsPageFactory(parent=news_index, title="First")
    get()
    assert not get().through_django
    page.title = "First, corrected"
    page.save_revision().publish()
    changed = get()
    assert changed.through_django
    assert titles(changed) == ["First, corrected"]
    assert not get().through_django


def test_any_content_change_makes_every_replay_stale(news_index):
    get()
    post()
    bump_generation()
    assert get().through_django
    assert post().through_django


@pytest.mark.parametrize(
    "variant",
    [
        {"HTTP_ORIGIN": "https://partner.example"},
        {"HTTP_HOST": "localhost"},
        {"wsgi.url_scheme": "https"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
        {"QUERY_STRING": "query=" + urllib.parse.quote(QUERY.replace(" ", "  "))},
        {"PATH_INFO": "/graphql"},
    ],
    ids=["origin", "host", "scheme", "forwarded-proto", "query-string", "path"],
)
def test_what_can_change_the_answer_is_a_different_entry(news_index, variant):
    get()
    assert not get().through_django
    first = get(**variant)
    assert first.through_django and first.status_code == 200
    replayed = get(**variant)
    assert not replayed.through_django and replayed.replayable_headers() == first.replayable_headers()


def test_a_different_post_body_is_a_different_entry(news_index):
    NewsPageFactory(parent=news_index, title="First")
    post()
    other = post("{ news { items { title } } }")
    assert other.through_django
    assert "pagination" not in other.json()["data"]["news"]


def test_cookies_other_than_the_session_do_not_matter(news_index):
    get()
    assert not get(HTTP_COOKIE="theme=dark").through_django


@pytest.mark.parametrize(
    "credentials",
    # Basic: credentials the API does not read (a proxy's); API keys are tests/api/test_api_key_fronts.py.
    [{"HTTP_COOKIE": "theme=dark; sessionid=abc"}, {"HTTP_AUTHORIZATION": "Basic cHJveHk6c2VjcmV0"}],
    ids=["session-cookie", "authorization"],
)
def test_signed_in_requests_always_go_to_django(news_index, credentials):
    get()
    post()
    for send in (get, post, get):
        answer = send(**credentials)
        assert answer.through_django and answer.status_code == 200
        assert "X-Cache" not in answer.headers


def test_nothing_is_replayed_with_the_response_cache_off(settings, news_index):
    settings.GRAPHQL_RESPONSE_CACHE = False
    for _ in range(2):
        answer = get()
        assert answer.through_django and answer.headers["Cache-Control"] == "no-store"


def test_preview_answers_are_never_replayed(news_index):
    query = '{ preview(token: "nope") { title } }'
    for _ in range(2):
        answer = post(query)
        assert answer.through_django and answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "request_environ",
    [
        lambda: environ("POST", "{ news(page: 0) { items { title } } }"),  # 400
        lambda: environ("GET", HTTP_HOST="evil.example"),  # not in ALLOWED_HOSTS: 400
        lambda: environ("GET", query="{ nonsense }"),  # validation: 400
    ],
    ids=["bad-argument", "disallowed-host", "invalid-query"],
)
def test_errors_are_never_replayed(news_index, request_environ):
    for _ in range(2):
        answer = call(request_environ())
        assert answer.through_django and answer.status_code == 400


def test_oversized_or_unsized_bodies_go_to_django(settings, news_index):
    settings.GRAPHQL_LIMITS = {**settings.GRAPHQL_LIMITS, "MAX_BODY_BYTES": 100}
    padded = QUERY + " " * 100
    for _ in range(2):
        answer = post(padded)
        assert answer.through_django and answer.status_code == 413
    unsized = environ("POST")
    del unsized["CONTENT_LENGTH"]
    assert call(unsized).through_django


def test_replays_end_at_the_next_scheduled_change(news_index):
    start = timezone.now()
    with freeze_time(start) as clock:
        page = NewsPageFactory(parent=news_index, title="Expiring")
        soon = start + datetime.timedelta(seconds=2.5)
        type(page).objects.filter(pk=page.pk).update(expire_at=soon)  # as if set long ago: no signal
        bump_generation()
        assert titles(get()) == ["Expiring"]
        clock.tick(1)
        assert not get().through_django
        # The kept entry outlives the moment by a fraction of a second (whole-second timeouts).
        clock.move_to(soon + datetime.timedelta(milliseconds=100))
        expired = get()
        assert expired.through_django
        assert titles(expired) == []


def test_replays_count_against_the_rate_limit(settings, news_index):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 3600
    # One fixed moment, so the window cannot turn over between the requests.
    with freeze_time(timezone.now()):
        answers = [get() for _ in range(4)]
        assert [a.through_django for a in answers] == [True, False, False, True]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[3].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # Counted per client, as Django counts.
        assert get(REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_broken_cache_falls_through_to_django(monkeypatch, news_index, caplog):
    NewsPageFactory(parent=news_index, title="First")
    get()

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(type(caches["default"]), "get_many", broken)
    with caplog.at_level(logging.ERROR, logger="api.graphql.fast_path"):
        answer = get()
    assert answer.through_django and answer.status_code == 200
    assert titles(answer) == ["First"]
    assert "fast path skipped" in caplog.text


def test_an_answer_that_cannot_be_kept_is_still_sent(monkeypatch, news_index, caplog):
    real_set = type(caches["default"]).set

    def set_but_not_replays(self, key, *args, **kwargs):
        if "graphql:replay:" in key:
            raise ConnectionError("cache down")
        return real_set(self, key, *args, **kwargs)

    monkeypatch.setattr(type(caches["default"]), "set", set_but_not_replays)
    with caplog.at_level(logging.ERROR, logger="api.graphql.fast_path"):
        answer = get()
    assert answer.status_code == 200 and answer.json()["data"]["news"]
    assert "not kept" in caplog.text
    assert get().through_django


def stand_in_for_django(calls, *headers):
    """A 200 the view marked as cacheable, with the given headers."""

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        environ[FAST_PATH_MARKER] = ("generation", timezone.now().timestamp() + 60)
        start_response("200 OK", [("Content-Type", "application/json"), *headers])
        return [b"{}"]

    return app


@pytest.mark.parametrize(
    ("header", "handled"),
    [
        (("Vary", "Origin"), 1),
        (("Set-Cookie", "sessionid=abc; Path=/"), 2),
        (("Vary", "Origin, Cookie"), 2),
        (("Cache-Control", "private"), 2),
    ],
)
def test_answers_for_one_visitor_are_never_kept(header, handled):
    caches["default"].set("graphql:generation", "generation")
    calls = []
    app = ResponseCacheFastPath(stand_in_for_django(calls, header))
    for _ in range(2):
        assert call(environ(), app=app).status_code == 200
    assert len(calls) == handled


def test_a_miss_costs_three_cache_round_trips(news_index, monkeypatch, settings):
    settings.RATE_LIMIT_ENABLED = False
    # Fast path: generation and replay read together; the view reuses that generation, looks its
    # own entry up, and both entries are written together.
    NewsPageFactory(parent=news_index, title="First")
    backend = caches["default"]
    call(environ())  # the generation and the visibility facts exist from here on
    calls, depth = [], [0]
    for name in ("get", "get_many", "set", "set_many", "add", "incr"):
        original = getattr(backend, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            # Local memory's get_many and set_many call get and set: count what the caller asked.
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counting)
    answer = call(environ(query="{ news { items { title } } }"))
    assert answer.status_code == 200 and answer.through_django
    assert answer.headers["X-Cache"] == "miss"
    assert calls == ["get_many", "get", "set_many"]
    calls.clear()
    replayed = call(environ(query="{ news { items { title } } }"))
    assert not replayed.through_django and replayed.body == answer.body
    assert calls == ["get_many"]


def test_every_fast_path_route_is_the_graphql_view():
    from django.urls import resolve

    from api.graphql.fast_path import PATHS
    from api.graphql.view import graphql_view

    for path in PATHS:
        assert resolve(path).func is graphql_view


@pytest.mark.parametrize(
    "spelling",
    [
        {"SCRIPT_NAME": "/cms"},
        {"SCRIPT_NAME": "/cms", "PATH_INFO": "/graphql"},
        {"PATH_INFO": "/graphql"},
        {"SCRIPT_NAME": "/psg/cms"},
    ],
    ids=["script-name", "script-name-no-slash", "no-slash", "nested-script-name"],
)
@pytest.mark.parametrize("send", [get, post], ids=["GET", "POST"])
def test_replays_are_counted_however_the_route_is_spelled(settings, news_index, send, spelling):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 3600
    with freeze_time(timezone.now()):
        answers = [send(**spelling) for _ in range(4)]
        assert [a.through_django for a in answers] == [True, False, False, True]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        # The same counter as Django's view, whichever spelling was used.
        assert post().status_code == 429


def replay_keys():
    return [key for key in caches["default"]._cache if "graphql:replay:" in key]


def test_unused_variables_in_post_bodies_add_a_bounded_number_of_replays(settings, news_index):
    settings.GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES = 3
    settings.RATE_LIMIT_WINDOW = 3600
    NewsPageFactory(parent=news_index, title="First")

    def unused(n, **extra):
        body = json.dumps({"query": QUERY, "variables": {"unused": n}})
        request = RequestFactory().post("/graphql/", data=body, content_type="application/json")
        return call({**request.environ, **extra})

    with freeze_time(timezone.now()):
        answers = [unused(n) for n in range(8)]
        assert {a.status_code for a in answers} == {200}
        assert {titles(a)[0] for a in answers} == {"First"}
        # One answer in the response cache (the variable is not declared), and as many raw-body
        # replays as the client's budget allows: the first answer and two more replays.
        assert len(replay_keys()) == 3
        assert [unused(n).through_django for n in range(4)] == [False, False, False, True]
        # Another client has its own budget.
        unused(100, REMOTE_ADDR="198.51.100.9")
        assert len(replay_keys()) == 4


def test_an_answer_over_the_size_cap_is_not_kept_for_replay(settings, news_index):
    NewsPageFactory(parent=news_index, title="First")
    size = len(get().body)
    caches["default"].clear()
    settings.GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES = size - 1
    for _ in range(2):
        answer = get()
        assert answer.through_django and answer.status_code == 200 and titles(answer) == ["First"]
    assert replay_keys() == []
