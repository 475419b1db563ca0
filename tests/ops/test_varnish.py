"""Varnish with docker/varnish/default.vcl in front of `make serve`'s server, as compose runs them.

What it keeps (GraphQL GET answers, feeds: what the app marks cacheable, one copy per Origin),
what it never keeps nor serves from its cache (cookies, Authorization, preview tokens, POST,
mutations, answers the app left unmarked or marked no-store), and a publish through the admin (in this
process, on the server's database, purging the real varnishd) visible on the very next request
through it.

The publish needs the server to read what this process commits, so it runs on PostgreSQL, where
the server uses the test database itself; on SQLite the server gets a copy, and only the rest runs.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest
import redis
import yaml
from django.db import connections
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from bench.varnish import BACKEND_LINE, VCL, Varnish, varnishd
from tests.factories import NewsPageFactory, TopicFactory, make_site
from tests.ops.conftest import DATABASE_URL, IS_POSTGRES, ROOT, ProductionServer, free_port, production_env

# The server's cache, and this process's during the publish: one Redis, as in compose, so the
# content generation the admin starts is the one the server reads. Emptied when the server starts.
REDIS_URL = "redis://127.0.0.1:6379/7"

pytestmark = pytest.mark.skipif(
    varnishd() is None, reason="needs varnishd: Debian's varnish package (.ci/run installs it)"
)


def empty_redis():
    """Whether Redis is up; if so, its database emptied of what an earlier run kept."""
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb())
    except redis.exceptions.ConnectionError:
        return False


def get(port, path, *, method="GET", body=None, timeout=20, **headers) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(  # noqa: S310 (a local URL)
        f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers
    )
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except OSError:
        return 0, Message(), b""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def graphql_path(query, variables=None):
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return "/graphql/?" + urllib.parse.urlencode(params)


@pytest.fixture(scope="module")
def database_url(request, django_db_setup, django_db_blocker):
    """On PostgreSQL the test database itself (what a transactional test commits, the server reads);
    on SQLite, a copy."""
    if not IS_POSTGRES:
        return request.getfixturevalue("served_database_url")
    with django_db_blocker.unblock():
        name = connections["default"].settings_dict["NAME"]
    assert name.startswith("test_"), name
    return urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def tier(database_url, tmp_path_factory):
    if not empty_redis():
        pytest.skip(f"needs Redis at {REDIS_URL}")
    tmp = tmp_path_factory.mktemp("tier")
    env = production_env(
        DATABASE_URL=database_url,
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",
        REDIS_URL=REDIS_URL,
        STATE_REDIS_URL=None,
        RATE_LIMIT_ENABLED="false",
        FRONTEND_URL="https://frontend.test",
        CORS_ALLOWED_ORIGINS="https://frontend.test",
        FRONTEND_CACHE_VARNISH_URL=None,
    )
    with ProductionServer(env, tmp / "server.log"), Varnish(int(env["PORT"]), tmp) as varnish:
        yield varnish


def outcomes(tier, path, times=2, status=200, **headers):
    """X-Cache of `times` requests in a row: what Varnish did with each."""
    answers = [get(tier.port, path, **headers) for _ in range(times)]
    assert [answer[0] for answer in answers] == [status] * times
    return [headers.get("X-Cache") for _, headers, _ in answers]


# --- What it keeps ---------------------------------------------------------------------------------


def test_a_graphql_get_is_fetched_once_then_served_from_varnish(tier):
    path = graphql_path("query KeptOnce { __typename }")
    first, again = (get(tier.port, path, **{"X-Request-ID": rid}) for rid in ("first-call", "second-call"))
    assert (first[1]["X-Cache"], again[1]["X-Cache"]) == ("miss", "hit")
    assert first[2] == again[2] == b'{"data":{"__typename":"Query"}}'
    # The app's own cache said what it did on the miss; on a hit only Varnish's answer counts.
    assert first[1]["X-Origin-Cache"] == "miss" and again[1]["X-Origin-Cache"] is None
    assert again[1]["Cache-Control"].startswith("public, max-age=")
    # Each answer carries its own request's id, hits too; and names no software.
    assert (first[1]["X-Request-ID"], again[1]["X-Request-ID"]) == ("first-call", "second-call")
    assert again[1]["X-Varnish"] is None and again[1]["Via"] is None
    assert again[1]["X-Url-Path"] is None


def test_a_feed_is_kept_too(tier):
    assert outcomes(tier, "/feeds/news.json") == ["miss", "hit"]


def test_one_copy_per_origin_so_cors_headers_never_go_to_the_wrong_site(tier):
    path = graphql_path("query PerOrigin { __typename }")
    frontend = {"Origin": "https://frontend.test"}
    partner = {"Origin": "https://partner.test"}
    assert outcomes(tier, path, **frontend) == ["miss", "hit"]
    _, headers, _ = get(tier.port, path, **partner)
    assert headers["X-Cache"] == "miss"
    # The frontend may send credentials; a partner reads the public answer, without them.
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Credentials"] is None
    _, headers, _ = get(tier.port, path, **frontend)
    assert headers["X-Cache"] == "hit"
    assert headers["Access-Control-Allow-Origin"] == "https://frontend.test"


# --- What it never keeps -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, status",
    # The key is no key the CMS issued: the app answers 401 (a key that is kept would answer 200);
    # either way the tier passes the request and keeps nothing.
    [({"Cookie": "sessionid=an-editor"}, 200), ({"Authorization": "Bearer psg_a-frontend-key"}, 401)],
    ids=["cookie", "authorization"],
)
def test_credentials_always_reach_the_app(tier, headers, status):
    path = graphql_path(f"query With{''.join(headers)} {{ __typename }}")
    assert outcomes(tier, path, status=status, **headers) == ["pass", "pass"]
    # Nor is an answer to them served to anyone else.
    assert outcomes(tier, path) == ["miss", "hit"]


def test_preview_tokens_always_reach_the_app(tier):
    query = "query Preview($token: String!) { preview(token: $token) { title } }"
    # An unknown token is an error (400); a valid one is a draft: either way, not for anyone else.
    assert outcomes(tier, graphql_path(query, {"token": "a-token"}), status=400) == ["pass", "pass"]


def test_an_answer_the_app_says_not_to_keep_is_not_kept_whatever_the_url(tier):
    # Spelt so the VCL's own check cannot see the word: the app still knows a preview, and says no-store.
    path = graphql_path('{ preview(token: "x") { title } }').replace("preview", "%70review")
    answers = [get(tier.port, path) for _ in range(2)]
    assert [headers["Cache-Control"] for _, headers, _ in answers] == ["no-store", "no-store"]
    assert [headers["X-Cache"] for _, headers, _ in answers] == ["pass", "pass"]


def test_posts_always_reach_the_app(tier):
    body = json.dumps({"query": "query Posted { __typename }"}).encode()
    answers = [
        get(tier.port, "/graphql/", method="POST", body=body, **{"Content-Type": "application/json"})
        for _ in range(2)
    ]
    assert [(status, headers["X-Cache"]) for status, headers, _ in answers] == [(200, "pass"), (200, "pass")]


def test_a_mutation_is_never_kept_and_never_runs_over_get(tier):
    mutation = "mutation Sent { __typename }"
    over_get = [get(tier.port, graphql_path(mutation)) for _ in range(2)]
    assert [(status, headers["X-Cache"]) for status, headers, _ in over_get] == [(405, "pass"), (405, "pass")]
    body = json.dumps({"query": mutation}).encode()
    posted = [
        get(tier.port, "/graphql/", method="POST", body=body, **{"Content-Type": "application/json"})
        for _ in range(2)
    ]
    assert [(status, headers["X-Cache"], headers["Cache-Control"]) for status, headers, _ in posted] == [
        (200, "pass", "no-store"),
        (200, "pass", "no-store"),
    ]
    assert posted[0][2] == b'{"data":{"__typename":"Mutation"}}'


def test_answers_the_app_left_unmarked_are_not_kept(tier):
    # A page's URL on the CMS (a redirect to the frontend) and a 404 say nothing about caching:
    # Varnish's own heuristic would keep them for two minutes.
    for path in ("/", "/no-such-page/"):
        answers = [get(tier.port, path) for _ in range(2)]
        assert all(status in (200, 302, 404) for status, _, _ in answers), path
        assert [headers["Cache-Control"] for _, headers, _ in answers] == [None, None], path
        assert [headers["X-Cache"] for _, headers, _ in answers] == ["pass", "pass"], path


def test_purges_are_refused_from_the_public_listener(tier):
    assert get(tier.port, "/graphql*", method="PURGE")[0] == 405
    assert get(tier.purge_port, "/graphql/", method="GET")[0] == 405


# --- A publish through the admin -----------------------------------------------------------------


def purged_here(settings, tier):
    """This process's content changes purge the test's varnishd."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "api.edge_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{tier.purge_port}",
            "HOSTNAMES": ["testserver"],
            "TIMEOUT": 5,
        }
    }


@pytest.mark.django_db
def test_a_change_purges_every_graphql_answer_and_the_feeds_and_nothing_else(
    tier, settings, django_capture_on_commit_callbacks
):
    purged_here(settings, tier)
    purged = [
        graphql_path("query Slash { __typename }"),
        graphql_path("query NoSlash { __typename }").replace("/graphql/?", "/graphql?"),
        "/feeds/news.atom",
        "/feeds/news.atom?format=any-query-string",
    ]
    kept = "/embed/news.js"  # a script, the same whatever the content
    for path in [*purged, kept]:
        assert outcomes(tier, path) == ["miss", "hit"], path
    with django_capture_on_commit_callbacks(execute=True):
        TopicFactory(name="Mining")
    for path in purged:
        assert outcomes(tier, path) == ["miss", "hit"], path
    assert outcomes(tier, kept, times=1) == ["hit"]


@pytest.mark.skipif(
    not IS_POSTGRES, reason="needs PostgreSQL: the server must read what this process commits"
)
@pytest.mark.django_db(transaction=True)
def test_a_publish_is_visible_on_the_very_next_request_through_varnish(tier, settings, django_user_model):
    purged_here(settings, tier)
    # And on the server's Redis, as in compose: the generation the publish starts is the server's.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "psg",
        },
    }
    _home, news_index, _events = make_site()
    page = NewsPageFactory(parent=news_index, title="Las Bambas: talks resume", slug="las-bambas-talks")
    listing = graphql_path("query Latest { news { items { title } } }")
    feed = "/feeds/news.rss"
    assert outcomes(tier, listing) == ["miss", "hit"]
    assert outcomes(tier, feed) == ["miss", "hit"]
    assert b"Las Bambas: talks resume" in get(tier.port, feed)[2]

    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    response = editor.post(f"/admin/pages/{page.id}/edit/", publish_form(page, "Las Bambas: talks collapse"))
    assert response.status_code == 302, response.content.decode()[:2000]

    status, headers, body = get(tier.port, listing)
    assert (status, headers["X-Cache"]) == (200, "miss")
    assert json.loads(body)["data"]["news"]["items"][0]["title"] == "Las Bambas: talks collapse"
    status, headers, body = get(tier.port, feed)
    assert (status, headers["X-Cache"]) == (200, "miss")
    assert b"Las Bambas: talks collapse" in body and b"talks resume" not in body
    # And kept again.
    assert get(tier.port, listing)[1]["X-Cache"] == "hit"


def publish_form(page, title):
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "publication_date": "2026-11-20",
            "topics": "",
            "summary": "Talks between the communities and the mine.",
            "main_image": "",
            "body": streamfield([("paragraph", rich_text("<p>The talks.</p>"))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "action-publish": "action-publish",
        }
    )


def test_compose_puts_this_vcl_in_front_of_the_app():
    services = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())["services"]
    varnish = services["varnish"]
    assert "./varnish/default.vcl:/etc/varnish/default.vcl:ro" in varnish["volumes"]
    command = varnish["command"]
    assert [command[i + 1] for i, word in enumerate(command) if word == "-a"] == [
        "http=:80,HTTP",
        "purge=:6091,HTTP",
    ]
    # Clients reach Varnish only, never the purge listener nor the app itself.
    assert [str(port).rsplit(":", 1)[1] for port in varnish["ports"]] == ["80"]
    assert "ports" not in services["app"] and services["app"]["expose"] == ["8000"]
    assert BACKEND_LINE in VCL.read_text()
    # Whatever changes content purges it: the app, the scheduler, the worker.
    for name in ("app", "scheduler", "worker"):
        assert services[name]["environment"]["FRONTEND_CACHE_VARNISH_URL"].endswith(":-http://varnish:6091}")
