"""Anonymous traffic is limited per client address, however a route is spelled; staff and probes are not."""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.utils import timezone
from freezegun import freeze_time

from api import ratelimit

# The view may read the database (caches, visibility), so every test may too.
pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})
REDIS_DB = "redis://127.0.0.1:6379/2"


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMIT_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = 60
    settings.RATE_LIMIT_PATHS = []
    settings.TRUSTED_PROXIES = []
    # One moment for the whole test, so a fixed window cannot turn over between its requests.
    with freeze_time(timezone.now()):
        yield


def ask(client, **extra):
    return client.post("/graphql/", data=QUERY, content_type="application/json", **extra)


def statuses(client, times, **extra):
    return [ask(client, **extra).status_code for _ in range(times)]


def test_over_the_limit_is_429_with_retry_after_and_code(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    assert statuses(client, 3) == [200, 200, 200]
    response = ask(client, HTTP_ORIGIN="https://frontend.test")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 1 <= int(response["Retry-After"]) <= 60
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("Too many requests")
    # Placed after CorsMiddleware: the browser can read the 429.
    assert response["Access-Control-Allow-Origin"] == "https://frontend.test"


def test_addresses_are_counted_separately(client):
    assert statuses(client, 4, REMOTE_ADDR="198.51.100.1") == [200, 200, 200, 429]
    assert statuses(client, 3, REMOTE_ADDR="198.51.100.2") == [200, 200, 200]


def test_ipv6_clients_are_counted_per_64(client):
    assert statuses(client, 3, REMOTE_ADDR="2001:db8:1:2::1") == [200, 200, 200]
    assert ask(client, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert ask(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_forwarded_for_is_ignored_from_an_untrusted_address(client):
    codes = [
        ask(client, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client can write anything left of what our proxy appended; that changes nothing.
    codes = [
        ask(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert ask(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.1", "", "198.51.100.1"),
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),  # not a trusted proxy
        ("10.0.0.5", "", "10.0.0.5"),  # trusted proxy, no header: the proxy itself
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),  # proxy chain skipped
        ("10.0.0.5", "10.0.0.6, 10.0.0.7", "10.0.0.5"),  # only proxies: count the nearest one
        ("10.0.0.5", "203.0.113.9, not-an-ip", "10.0.0.5"),  # garbage: do not guess
        ("192.0.2.7", " 2001:db8::1 ", "2001:db8::1"),  # single address entry, IPv6 client
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    request = RequestFactory().get("/graphql/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


def test_staff_are_exempt_and_other_users_are_not(client):
    user_model = get_user_model()
    client.force_login(user_model.objects.create_user("editor", password="pw", is_staff=True))
    assert set(statuses(client, 5)) == {200}
    client.force_login(user_model.objects.create_user("member", password="pw"))
    assert statuses(client, 5)[-1] == 429


def test_other_paths_and_disabled_limit_are_not_counted(client, settings):
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}
    settings.RATE_LIMIT_ENABLED = False
    assert set(statuses(client, 5)) == {200}


def test_cache_outage_lets_traffic_through(client, monkeypatch):
    class DownCache:
        def add(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to redis")

        incr = add

    monkeypatch.setattr(ratelimit, "state_cache", DownCache)
    assert set(statuses(client, 5)) == {200}


def test_counter_is_shared_through_redis(client):
    redis = pytest.importorskip("redis")
    raw = redis.Redis.from_url(REDIS_DB)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"psgtest-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "state": {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": REDIS_DB,
            "KEY_PREFIX": prefix,
        },
    }
    try:
        with override_settings(CACHES=caches):
            assert statuses(client, 2, REMOTE_ADDR="198.51.100.7") == [200, 200]
            (key,) = raw.keys(f"{prefix}:*ratelimit:api:*198.51.100.7")
            assert int(raw.get(key)) == 2  # a plain Redis integer, INCR-ed atomically
            # Another worker's requests land on the same counter.
            raw.incr(key)
            assert statuses(client, 1, REMOTE_ADDR="198.51.100.7") == [429]
            assert 0 < raw.ttl(key) <= 61
    finally:
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)


# --- Every spelling of every public route is counted ------------------------------------------------


def graphql_get(client, path, **extra):
    return client.get(path, {"query": "{ __typename }"}, **extra)


def graphql_post(client, path, **extra):
    return client.post(path, data=QUERY, content_type="application/json", **extra)


def plain_get(client, path, **extra):
    return client.get(path, **extra)


# (how the request is sent, the path the client writes, extra WSGI environ): each answers 429 on the
# fourth request of a window however it is spelled, and never before.
SPELLINGS = {
    "graphql-post-slash": (graphql_post, "/graphql/", {}),
    "graphql-post-no-slash": (graphql_post, "/graphql", {}),
    "graphql-get-slash": (graphql_get, "/graphql/", {}),
    "graphql-get-no-slash": (graphql_get, "/graphql", {}),
    "graphql-percent-encoded": (graphql_post, "/%67raphql/", {}),
    "graphql-percent-encoded-no-slash": (graphql_post, "/%67raph%71l", {}),
    "graphql-double-slash": (graphql_post, "/graphql/", {"PATH_INFO": "//graphql/"}),
    "graphql-upper-case": (graphql_post, "/GRAPHQL/", {}),
    "graphql-script-name": (graphql_post, "/graphql/", {"SCRIPT_NAME": "/cms"}),
    "graphql-script-name-no-slash": (graphql_post, "/graphql", {"SCRIPT_NAME": "/cms"}),
    "feed-rss": (plain_get, "/feeds/news.rss", {}),
    "feed-atom": (plain_get, "/feeds/news.atom", {}),
    "feed-json": (plain_get, "/feeds/news.json", {}),
    "feed-trailing-slash": (plain_get, "/feeds/news.rss/", {}),
    "feed-script-name": (plain_get, "/feeds/news.rss", {"SCRIPT_NAME": "/cms"}),
    "feed-percent-encoded": (plain_get, "/feeds/news%2Erss", {}),
    "embed": (plain_get, "/embed/news/", {}),
    "embed-no-slash": (plain_get, "/embed/news", {}),
    "embed-js": (plain_get, "/embed/news.js", {}),
    "embed-script-name": (plain_get, "/embed/news/", {"SCRIPT_NAME": "/cms"}),
    "media-rendition": (plain_get, "/media/images/missing.width-400.png", {}),
    "media-script-name": (plain_get, "/media/images/missing.width-400.png", {"SCRIPT_NAME": "/cms"}),
    "document": (plain_get, "/documents/1/missing.pdf", {}),
    "wagtail-page": (plain_get, "/", {}),
    "wagtail-unknown-page": (plain_get, "/no-such-page/", {}),
    "unresolved-path": (plain_get, "/old-site/page.html", {}),
    "page-login": (plain_get, "/_util/login/", {}),
}


@pytest.mark.parametrize(("send", "path", "extra"), SPELLINGS.values(), ids=SPELLINGS.keys())
def test_every_spelling_is_counted(client, send, path, extra):
    first = [send(client, path, **extra) for _ in range(3)]
    assert 429 not in [response.status_code for response in first]
    refused = send(client, path, **extra)
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_the_api_routes_share_one_counter_whatever_the_spelling(client):
    graphql_post(client, "/graphql")
    graphql_get(client, "/graphql/", SCRIPT_NAME="/cms")
    plain_get(client, "/feeds/news.atom", SCRIPT_NAME="/cms")
    assert plain_get(client, "/embed/news.js").status_code == 429


def test_the_site_has_its_own_counter(client):
    # Renditions a visitor's browser loads do not eat the API budget, nor the reverse.
    assert statuses(client, 4) == [200, 200, 200, 429]
    assert plain_get(client, "/media/images/missing.width-400.png").status_code == 404
    for _ in range(3):
        plain_get(client, "/no-such-page/")
    assert plain_get(client, "/media/images/missing.width-400.png").status_code == 429


def test_a_redirect_to_an_unresolved_path_is_counted(client):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/old-site/page.html", redirect_link="https://frontend.test/page/")
    codes = [client.get("/old-site/page.html").status_code for _ in range(4)]
    assert codes == [301, 301, 301, 429]


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/readyz", "/admin/login/", "/admin/", "/static/missing.css"],
)
def test_probes_the_admin_and_static_files_are_not_counted(client, path):
    codes = {client.get(path).status_code for _ in range(5)}
    assert 429 not in codes


def test_staff_are_exempt_from_the_site_counter_too(client):
    user_model = get_user_model()
    client.force_login(user_model.objects.create_user("editor", password="pw", is_staff=True))
    assert {plain_get(client, "/no-such-page/").status_code for _ in range(5)} == {404}


def test_every_route_is_counted_or_deliberately_exempt():
    """A view added later is counted (on the site counter) unless it is exempted on purpose."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                yield prefix + str(pattern.pattern), pattern.callback

    routes = walk(get_resolver().url_patterns)
    buckets = {route: ratelimit.bucket_for(view, route, "/") for route, view in routes}
    admin = {route: bucket for route, bucket in buckets.items() if route.startswith("admin/")}
    assert admin and set(admin.values()) == {None}
    others = {route: bucket for route, bucket in buckets.items() if not route.startswith("admin/")}
    assert others == {
        "graphql/": "api",
        "graphql": "api",
        "^graphql/.": "site",
        "feeds/news.rss": "api",
        "feeds/news.atom": "api",
        "feeds/news.json": "api",
        "embed/news/": "api",
        "embed/news.js": "api",
        "feeds/events.ics": "api",
        "feeds/^events/(?P<page_id>[0-9]+)\\.ics$": "api",
        # The cancel link in registration emails: people follow it from their mail, like a page.
        "registrations/cancel/<str:token>/": "site",
        "healthz": None,
        "readyz": None,
        "^documents/(\\d+)/(.*)$": "site",
        "^documents/authenticate_with_password/": "site",
        "^_util/authenticate_with_password/": "site",
        "documents/^(\\d+)/(.*)$": "site",
        "documents/authenticate_with_password/<int:restriction_id>/": "site",
        "^media/images/(?P<path>[^/]+)$": "site",
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": "site",
        "_util/login/": "site",
        "^((?:[\\w\\-]+/)*)$": "site",
    }


def test_deprecated_rate_limit_paths_still_add_prefixes(client, settings):
    settings.RATE_LIMIT_PATHS = ["/healthz"]
    codes = [client.get("/healthz").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_client_known_to_be_over_the_limit_is_refused_without_counting_again(client, monkeypatch):
    counted = []
    real = ratelimit.count_in_window

    def counting(name, *args, **kwargs):
        if name.startswith("ratelimit:"):
            counted.append(args)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(ratelimit, "count_in_window", counting)
    assert statuses(client, 4) == [200, 200, 200, 429]
    assert len(counted) == 4
    # The rest of the window: refused from what this process remembers, no cache round trip.
    assert statuses(client, 5) == [429] * 5
    assert len(counted) == 4
    assert ask(client, REMOTE_ADDR="198.51.100.9").status_code == 200
    assert len(counted) == 5


def test_what_a_process_remembers_ends_with_the_window(client):
    assert statuses(client, 4) == [200, 200, 200, 429]
    with freeze_time(timezone.now() + timezone.timedelta(seconds=61)):
        assert statuses(client, 3) == [200, 200, 200]


def test_the_servers_shortcut_answers_as_django_does(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]
    assert statuses(client, 4) == [200, 200, 200, 429]
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/graphql/", "REMOTE_ADDR": "127.0.0.1"}
    status, headers, body = ratelimit.refuse_known_over_limit(
        {**environ, "HTTP_ORIGIN": "https://partner.test"}
    )
    headers = dict(headers)
    django = ask(client, HTTP_ORIGIN="https://partner.test")
    assert status == django.status_code == 429
    assert json.loads(body) == django.json()
    for name in (
        "Content-Type",
        "Retry-After",
        "Access-Control-Allow-Origin",
        "Cross-Origin-Resource-Policy",
    ):
        assert headers[name] == django[name], name
    # Left to Django: the frontend allowed credentials, a session (staff are exempt), a preflight,
    # and clients not known to be over the limit.
    assert ratelimit.refuse_known_over_limit({**environ, "HTTP_ORIGIN": "https://frontend.test"}) is None
    assert ratelimit.refuse_known_over_limit({**environ, "HTTP_COOKIE": "sessionid=x"}) is None
    assert ratelimit.refuse_known_over_limit({**environ, "REQUEST_METHOD": "OPTIONS"}) is None
    assert ratelimit.refuse_known_over_limit({**environ, "REMOTE_ADDR": "198.51.100.9"}) is None
    # The site counter is another limit.
    assert ratelimit.refuse_known_over_limit({**environ, "PATH_INFO": "/no-such-page/"}) is None


@pytest.mark.parametrize("path", ["/graphql/", "/feeds/news.json", "/embed/news/"])
def test_cors_preflights_are_counted_with_the_view_they_ask_about(client, settings, path):
    # Answered by the CORS middleware before the limiter ever ran, a flood of them was free.
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.test"]

    def preflight():
        return client.options(
            path, HTTP_ORIGIN="https://frontend.test", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
        )

    assert [preflight().status_code for _ in range(3)] == [200, 200, 200]
    refused = preflight()
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused["Access-Control-Allow-Origin"] == "https://frontend.test"
    # The same counter as the API's requests.
    assert ask(client).status_code == 429


@pytest.fixture
def cpu_per_answer(monkeypatch):
    from api.graphql import view

    def use(seconds):
        state = {"now": 0.0, "reading": 0}

        def clock():
            # Readings come in pairs (before and after an answer): the second is `seconds` later.
            state["reading"] += 1
            if state["reading"] % 2 == 0:
                state["now"] += seconds
            return state["now"]

        monkeypatch.setattr(view, "_cpu_clock", clock)

    return use


def test_costly_answers_count_as_several_requests(client, settings, cpu_per_answer):
    settings.RATE_LIMIT_REQUESTS = 10
    settings.RATE_LIMIT_CPU_MS_PER_REQUEST = 200
    cpu_per_answer(0.9)  # four more shares each: five requests' worth
    queries = [json.dumps({"query": f"{{ a{i}: __typename }}"}) for i in range(3)]
    answers = [client.post("/graphql/", data=q, content_type="application/json") for q in queries]
    assert [answer.status_code for answer in answers] == [200, 200, 429]


def test_cheap_answers_count_once(client, settings, cpu_per_answer):
    settings.RATE_LIMIT_REQUESTS = 10
    settings.RATE_LIMIT_CPU_MS_PER_REQUEST = 200
    cpu_per_answer(0.19)
    queries = [json.dumps({"query": f"{{ a{i}: __typename }}"}) for i in range(11)]
    codes = [client.post("/graphql/", data=q, content_type="application/json").status_code for q in queries]
    assert codes == [200] * 10 + [429]


def test_staff_are_not_charged_for_cpu(client, settings, cpu_per_answer):
    settings.RATE_LIMIT_CPU_MS_PER_REQUEST = 200
    cpu_per_answer(5.0)
    user_model = get_user_model()
    client.force_login(user_model.objects.create_user("editor2", password="pw", is_staff=True))
    assert statuses(client, 5) == [200] * 5
