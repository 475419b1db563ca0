"""URLs and headers no client should send: a 400 (JSON on /graphql/, plain text elsewhere), never a 500,
on SQLite and PostgreSQL alike (PostgreSQL refuses NUL in text, so it is the stricter test)."""

import pytest

from tests.factories import TopicFactory, make_site

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/graphql/",
    "/feeds/news.rss",
    "/feeds/news.atom",
    "/feeds/news.json",
    "/embed/news/",
    "/embed/news.js",
    "/sitemap.xml",
    "/documents/1/a.pdf",
    "/news/",
    "/admin/login/",
]
JUNK_QUERIES = [
    "topic=%00",
    "topic=a%00b",
    "query=%7B__typename%7D%00",
    "x=%ff",
    "x=%C0%80",  # an overlong NUL
    "x=%ED%A0%80",  # an encoded surrogate
    "x=%F4%90%80%80",  # past U+10FFFF
    "%00=1",
    "x=\xff",  # a raw byte, not percent-encoded
]


@pytest.fixture
def site():
    return make_site()


def assert_refused(response, path):
    assert response.status_code == 400, (path, response.status_code, response.content[:300])
    if path.startswith("/graphql"):
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    elif path.split("?")[0].endswith(".json"):
        assert response.json()["error"]
    else:
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_nul_and_invalid_utf8_in_the_query_string_are_400_everywhere(client, site, path):
    for query in JUNK_QUERIES:
        assert_refused(client.get(path, QUERY_STRING=query), f"{path}?{query}")


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/a%00b.png",
        "/media/images/a%ffb.png",
        "/media/images/a%C0%80.png",
        "/news/%00/",
        "/news/a%ED%A0%80/",
        "/feeds/news.rss%00",
        "/graphql/%00",
        "/graphql%ff",
        "/admin/%00/",
        "/documents/1/a%00.pdf",
        "/static/a%00.css",
    ],
)
def test_nul_and_invalid_utf8_in_the_path_are_400(client, site, path):
    assert_refused(client.get(path), path)


def test_the_refusal_says_what_is_wrong(client, site):
    response = client.get("/feeds/news.rss?topic=%00")
    assert response.content.decode() == "The query string contains a NUL byte (%00)."
    response = client.get("/graphql/?query=%7B__typename%7D&x=%C0%80")
    assert "not valid UTF-8" in response.json()["errors"][0]["message"]
    assert response["X-Request-ID"]


def test_ordinary_non_ascii_and_newlines_pass(client, site):
    query = "query%20%7B%0A%20%20__typename%0A%7D"  # a GraphiQL-style query with newlines
    assert client.get(f"/graphql/?query={query}&x=%C3%B1%E2%82%AC%F0%9F%98%80").json() == {
        "data": {"__typename": "Query"}
    }
    assert client.get("/feeds/news.rss?topic=caf%C3%A9").status_code == 404  # no such topic


@pytest.mark.parametrize(
    "count",
    ["%C2%B2", "%D9%A3", "-1", "0", "21", "999999999999999999999", "9" * 5000, "1.0", "+1", " 1", "1_0", ""],
)
def test_embed_count_must_be_ascii_digits_in_range(client, site, count):
    response = client.get(f"/embed/news/?count={count}")
    assert response.status_code == 400, response.content[:200]
    assert "`count` must be a whole number from 1 to 20" in response.content.decode()


def test_embed_count_in_range_works(client, site):
    assert client.get("/embed/news/?count=020").status_code == 200
    assert client.get("/embed/news/?count=20").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/embed/news/?count=3&count=4",
        "/embed/news/?topic=a&topic=b",
        "/embed/news/?locale=en-GB&locale=es-PE",
    ],
)
def test_embed_repeated_options_are_400(client, site, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "is given more than once" in response.content.decode()


@pytest.mark.parametrize("feed", ["rss", "atom", "json"])
def test_feed_repeated_topic_is_400(client, site, feed):
    TopicFactory(name="Mining")
    response = client.get(f"/feeds/news.{feed}?topic=mining&topic=mining")
    assert response.status_code == 400
    message = response.json()["error"] if feed == "json" else response.content.decode()
    assert message == "`topic` is given more than once."


@pytest.mark.parametrize("feed", ["rss", "atom", "json"])
@pytest.mark.parametrize("topic", ["x" * 10_000, "a%0D%0ASet-Cookie:%20x=1", "%E2%80%AE", "%F0%9F%98%80"])
def test_feed_odd_topics_are_404(client, site, feed, topic):
    response = client.get(f"/feeds/news.{feed}?topic={topic}")
    assert response.status_code == 404
    if feed == "json":
        assert response.json() == {"error": "No such topic."}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("topic", ["x" * 10_000, "a%0D%0ASet-Cookie:%20x=1", "%0A"])
def test_embed_odd_topics_are_400(client, site, topic):
    response = client.get(f"/embed/news/?topic={topic}")
    assert response.status_code == 400
    # Never the topic given back: a reason that holds it could carry a header or markup.
    assert response.content.decode() == "`topic` is not a known topic slug; there are no topics yet."
    assert "Set-Cookie" not in response.headers


def test_media_names_longer_than_the_column_are_404(client, site):
    assert client.get("/media/images/" + "a" * 5000 + ".png").status_code == 404


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
@pytest.mark.parametrize(
    "host", ["evil.example", "a b", "testserver:abc", "[::1", "a\x00b", "é.example", "x" * 300]
)
def test_a_disallowed_host_on_graphql_is_a_json_400(client, site, settings, host, debug):
    # DEBUG on (`make run`): Django itself would answer its HTML debug page.
    settings.DEBUG = debug
    for path in ("/graphql/", "/graphql"):
        response = client.get(path, {"query": "{ __typename }"}, HTTP_HOST=host)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "Host" in error["message"] and host not in error["message"]
    response = client.post(
        "/graphql/", {"query": "{ __typename }"}, content_type="application/json", HTTP_HOST=host
    )
    assert response.status_code == 400 and response.json()["errors"]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
def test_a_disallowed_host_elsewhere_keeps_djangos_400(client, site, settings, debug):
    settings.DEBUG = debug
    response = client.get("/feeds/news.rss", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


class TestWithoutTheGuard:
    """The endpoints hold by themselves too: with the middleware gone, still no 5xx."""

    @pytest.fixture(autouse=True)
    def _no_guard(self, settings):
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "malformed_requests" not in m]

    @pytest.mark.parametrize(
        ("path", "status"),
        [
            ("/feeds/news.rss?topic=%00", 404),
            ("/feeds/news.atom?topic=a%00b", 404),
            ("/feeds/news.json?topic=%00", 404),
            ("/embed/news/?topic=a%00b", 400),
            ("/embed/news/?count=%C2%B2", 400),
            ("/media/images/a%00b.png", 404),
        ],
    )
    def test_view_refuses_by_itself(self, client, site, path, status):
        assert client.get(path).status_code == status

    def test_graphql_refuses_nul_in_get_variables(self, client, site):
        response = client.get(
            "/graphql/",
            {
                "query": "query($t: String) { news(topic: $t) { items { id } } }",
                "variables": '{"t": "\\u0000"}',
            },
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "variable": "t"}


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
def test_too_many_parameters_on_graphql_is_a_json_400(client, site, settings, debug):
    settings.DEBUG = debug  # on, Django itself would answer its HTML debug page
    query_string = "query=%7B__typename%7D&" + "&".join(f"a{i}=1" for i in range(1100))
    response = client.get("/graphql/", QUERY_STRING=query_string)
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "message": "The request has too many parameters.",
        "extensions": {"code": "BAD_REQUEST"},
    }
