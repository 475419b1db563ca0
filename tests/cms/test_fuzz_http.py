"""Property-based fuzzing of every HTTP endpoint's query parameters and path segments, in process.

Whatever text arrives (NUL, unpaired surrogates, other scripts' digits, percent-encoded junk,
repeated or unknown parameters), no endpoint answers 5xx, and a JSON endpoint answers JSON.
Seeded (derandomize) and bounded, so the run is reproducible and quick, on SQLite and PostgreSQL.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
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
    "/graphql/": ["query", "variables", "operationName"],
    "/sitemap.xml": ["page"],
    "/media/images/{}": ["v"],
    "/documents/{}/report.pdf": ["v"],
    "/documents/1/{}": ["v"],
    "/news/{}/": ["page"],
    "/{}/": ["p"],
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


@st.composite
def requests(draw):
    template = draw(st.sampled_from(sorted(ENDPOINTS)))
    path = template.replace("{}", draw(raw_values)) if "{}" in template else template
    names = ENDPOINTS[template]
    pairs = draw(
        st.lists(st.tuples(st.one_of(st.sampled_from(names), raw_values), raw_values), min_size=0, max_size=3)
    )
    return template, path, "&".join(f"{name}={value}" for name, value in pairs)


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
    assert served - {"admin/", "graphql", "healthz", "readyz"} <= {
        "graphql/",
        "feeds/",
        "embed/",
        "^media/images/(?P<path>[^/]+)$",
        "documents/",
        "",
    }


@pytest.mark.filterwarnings("ignore")
@given(request=requests())
@settings(
    max_examples=100, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
def test_no_query_parameter_or_path_segment_makes_a_5xx(client, content, request):
    template, path, query_string = request
    response = client.get(path, QUERY_STRING=query_string)
    assert response.status_code < 500, (
        path,
        query_string[:300],
        response.status_code,
        response.content[:300],
    )
    if template in JSON_ENDPOINTS and response.status_code != 304:
        body = json.loads(response.content)
        if template == "/graphql/":
            assert "data" in body or body["errors"][0]["extensions"]["code"], body
