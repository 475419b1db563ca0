"""Property-based fuzzing of every HTTP endpoint's query parameters and path segments, in process.

Whatever text arrives (NUL, unpaired surrogates, other scripts' digits, percent-encoded junk,
repeated or unknown parameters), no endpoint answers 5xx, and a JSON endpoint answers JSON.
Seeded (derandomize) and bounded, so the run is reproducible and quick, on SQLite and PostgreSQL.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import NewsPageFactory, TopicFactory, make_site

pytestmark = pytest.mark.django_db

# Each endpoint with the parameters it reads (and a stray one); `{}` marks a fuzzed path segment.
ENDPOINTS = {
    "/feeds/news.rss": ["topic"],
    "/feeds/news.atom": ["topic"],
    "/feeds/news.json": ["topic"],
    "/embed/news/": ["count", "images", "locale", "topic"],
    "/embed/news.js": ["v"],
    "/feeds/events.ics": ["v"],
    "/feeds/events/{}.ics": ["v"],
    "/registrations/cancel/{}/": ["v"],
    "/graphql/": ["query", "variables", "operationName"],
    "/sitemap.xml": ["page"],
    "/media/images/{}": ["v"],
    "/documents/{}/report.pdf": ["v"],
    "/documents/1/{}": ["v"],
    "/news/{}/": ["page"],
    "/{}/": ["p"],
    "/_util/authenticate_with_password/{}/1/": ["return_url"],
    "/documents/authenticate_with_password/{}/": ["return_url"],
}
JSON_ENDPOINTS = ("/graphql/", "/feeds/news.json")
SAMPLES = [
    "\x00",
    "a\x00b",
    "\ud800",
    "a\udfffb",
    "²",
    "١٢",
    "¹⁰",
    "-1",
    "0",
    "999999999999999999999",
    "9" * 5000,
    "1e3",
    "NaN",
    "true",
    "es-PE",
    "EN-gb",
    "mining",
    "x" * 10_000,
    "\r\nSet-Cookie: a=b",
    "{ __typename }",
    '{"a": 1, "a": 2}',
    "[" * 2000,
    "{news{items{id}}}",
    "../../etc/passwd",
]
# Percent-encoded bytes that are not UTF-8: stray continuation bytes, overlong forms, surrogates.
JUNK_ESCAPES = ["%ff", "%FE", "%C0%80", "%C1%BF", "%E0%80%80", "%ED%A0%80", "%F4%90%80%80", "%80", "%", "%g1"]

any_text = st.text(st.characters(exclude_categories=[]), max_size=30)


def encode(text: str) -> str:
    """`text` percent-encoded as UTF-8, surrogates included (as the bytes a broken client sends)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


raw_values = st.one_of(
    st.sampled_from(SAMPLES).map(encode),
    any_text.map(encode),
    st.lists(st.sampled_from(JUNK_ESCAPES), min_size=1, max_size=3).map("".join),
    st.tuples(any_text.map(encode), st.sampled_from(JUNK_ESCAPES)).map("".join),
    st.integers().map(str),
)


def parameters(names):
    """Query-string pairs: the endpoint's own parameter names (repeated or not) and junk ones."""
    return st.lists(st.tuples(st.one_of(st.sampled_from(names), raw_values), raw_values), max_size=3)


@pytest.fixture
def content(db):
    _home, news_index, _events = make_site()
    topic = TopicFactory(name="Mining")
    item = NewsPageFactory(parent=news_index, title="Fuzz news")
    item.topics.add(topic)
    item.save_revision().publish()


def test_every_endpoint_is_fuzzed():
    """The URL patterns the project serves itself, besides the admin and the health checks."""
    from django.urls import get_resolver

    served = {str(pattern.pattern) for pattern in get_resolver().url_patterns}
    assert {"graphql/", "feeds/", "embed/", "^media/images/(?P<path>[^/]+)$", "documents/", ""} <= served
    # `^graphql/.` answers one fixed JSON 404, whatever follows.
    assert served - {"admin/", "graphql", "^graphql/.", "healthz", "readyz"} <= {
        "graphql/",
        "feeds/",
        "embed/",
        "registrations/",
        "^media/images/(?P<path>[^/]+)$",
        "documents/",
        "^documents/(\\d+)/(.*)$",
        "^documents/authenticate_with_password/",
        "^_util/authenticate_with_password/",
        "",
    }


@pytest.fixture(params=[True, False], ids=["guarded", "unguarded"])
def guard(request, settings):
    """With the URL guard, and without it: each view must hold by itself too."""
    if not request.param:
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "malformed_requests" not in m]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("template", sorted(ENDPOINTS))
def test_no_query_parameter_or_path_segment_makes_a_5xx(client, content, guard, template):
    names = ENDPOINTS[template]

    # The cases the outside test found, always run, then what hypothesis draws.
    @example(segment="a%00b", pairs=[(name, "a%00b") for name in names])
    @example(segment="%C2%B2", pairs=[(name, "%C2%B2") for name in names])
    @example(segment=encode("\ud800"), pairs=[(name, encode("\ud800")) for name in names])
    @example(segment="%ff", pairs=[(name, "%C0%80") for name in names])
    @given(segment=raw_values, pairs=parameters(names))
    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_without_5xx(segment, pairs):
        path = template.replace("{}", segment)
        query_string = "&".join(f"{name}={value}" for name, value in pairs)
        response = client.get(path, QUERY_STRING=query_string)
        where = (path[:200], query_string[:300], response.status_code, response.content[:300])
        assert response.status_code < 500, where
        if template in JSON_ENDPOINTS:
            body = json.loads(response.content)
            if template == "/graphql/":
                assert "data" in body or body["errors"][0]["extensions"]["code"], where

    answers_without_5xx()
