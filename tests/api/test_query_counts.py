"""A list of 50 costs the same SQL as a list of 1, whatever fields a client selects (warm cache)."""

import json

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from api.renditions import make_image_renditions
from tests.factories import (
    EventPageFactory,
    ProgrammeItemFactory,
    StandardPageFactory,
    TicketPriceFactory,
    TopicFactory,
    VenueFactory,
    make_site,
)
from tests.factories import NewsPageFactory as _NewsPageFactory

SIZES = (1, 10, 50)

NEWS = """query($n: Int!) { news(pageSize: $n) { items { id title path url publicationDate summary seoTitle
  mainImage { alt width height focalPoint { x } rendition(filter: FILL_400X300) { url width height } srcset }
  topics { name slug }
  body { id blockType ... on ParagraphBlock { html }
         ... on ImageBlock { alt image { rendition(filter: WIDTH_400) { url } } }
         ... on ButtonBlock { label url } ... on HeadingBlock { text level } } }
  pagination { totalCount totalPages } } }"""

EVENTS = """query($n: Int!) { events(pageSize: $n) { items {
  title path startsAt endsAt status summary onlineUrl
  venue { name addressLines postcode } prices { label amount currency }
  programme { time startsAt title } registration { required email note }
  body { blockType ... on ParagraphBlock { html } } } pagination { totalCount } } }"""

# What a news list or a partner embed shows: the benchmark's listing query, one query (the pages with
# their images: topics and renditions are known to the process after the warm-up request, for the
# content generation, and there is no COUNT when no total is selected).
LATEST = """query($n: Int!) { news(pageSize: $n) { items { title publicationDate summary url
  mainImage { rendition(filter: FILL_400X300) { url width height } } topics { name slug } } } }"""

# A list of headlines: one query, the pages (their bodies, topics and Wagtail's editing columns unread).
TITLES = """query($n: Int!) { news(pageSize: $n) { items { id title url publicationDate summary } } }"""

# What a news list needs for each item's <head> and navigation: SEO, JSON-LD, breadcrumbs, neighbours.
TREE_AND_SEO = """query($n: Int!) { news(pageSize: $n) { items { title
  seo { title description canonicalUrl noindex shareImage { url width height alt } }
  jsonLd
  parent { title path } ancestors { title path }
  children(pageSize: 5) { items { title } pagination { totalCount } }
  previousItem { title path seo { shareImage { url } } } nextItem { title path } } } }"""

SEARCH = """query($n: Int!) { search(query: "Peru news", pageSize: $n) { items { title path
  ... on NewsPage { summary topics { name } mainImage { srcset } } } pagination { totalCount } } }"""

# Search as a results page shows it: highlighted titles and snippets of each item's body.
SEARCH_HITS = """query($n: Int!) { search(query: "Peru new", pageSize: $n) {
  hits { title snippet page { title path } } pagination { totalCount } } }"""

# What a listing with `<picture>` elements asks: every crop's sources in three formats, placeholders.
IMAGES = """query($n: Int!) { news(pageSize: $n) { items { title mainImage { alt placeholder dominantColor
  wide: responsive(crop: WIDE) { src width height srcset sizes sources { mimeType srcset } }
  landscape: responsive(crop: LANDSCAPE) { srcset sources { srcset } }
  avif: rendition(filter: FILL_400X300, format: AVIF) { url } } } } }"""

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def content_media(tmp_path_factory):
    return tmp_path_factory.mktemp("query-count-media")


@pytest.fixture(autouse=True)
def _media_root(settings, content_media):
    settings.MEDIA_ROOT = content_media
    # Measure the resolvers' SQL, not the response cache (a hit costs none: test_response_cache.py).
    settings.GRAPHQL_RESPONSE_CACHE = False


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, content_media):
    """50 news items and 50 events, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=content_media), transaction.atomic():
        _build()
        yield
        transaction.set_rollback(True)


def _build():
    home, news_index, events_index = make_site()
    mining, politics = TopicFactory(name="Mining"), TopicFactory(name="Politics")
    target = StandardPageFactory(parent=home, title="PSG Aims")
    venue = VenueFactory()
    image_model = get_image_model()
    for i in range(50):
        # A distinct image per item, so a per-image lookup would show; small, so its renditions
        # (every crop and width in three formats) are quick to make.
        image = image_model.objects.create(title=f"Image {i}", file=get_test_image_file(size=(320, 240)))
        make_image_renditions.enqueue(image.pk)
        page = _NewsPageFactory(
            parent=news_index,
            title=f"Peru news {i}",
            main_image=image,
            body=[
                ("heading", {"text": "Background", "level": "h2"}),
                ("paragraph", f'<p>See <a linktype="page" id="{target.id}">our aims</a>.</p>'),
                ("image", {"image": image, "alt_text": "", "caption": ""}),
                ("button", {"label": "Read", "page": target, "url": "", "email": ""}),
            ],
        )
        page.topics.add(mining, politics)
        page.save()
        event = EventPageFactory(parent=events_index, venue=venue, body=[("paragraph", "<p>Agenda</p>")])
        TicketPriceFactory(page=event)
        ProgrammeItemFactory(page=event)


def query_count(client, query, variables, captured_sql=None):
    body = json.dumps({"query": query, "variables": variables})
    client.post("/graphql/", data=body, content_type="application/json")  # warm: renditions exist after this
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data=body, content_type="application/json")
    payload = response.json()
    assert response.status_code == 200 and "errors" not in payload, payload
    if captured_sql is not None:
        captured_sql.extend(q["sql"] for q in captured.captured_queries)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (LATEST, 1),
        # Pages with their images, their bodies (left out of the listing's query and loaded for
        # the whole list when read: cms/listing_columns.py), the pages the bodies link to. Topics,
        # renditions and the total are known to the process after the warm-up request.
        (NEWS, 3),
        (EVENTS, 5),  # with the bodies, left out of the listing's query and read for the whole page
        (SEARCH, None),
        (SEARCH_HITS, None),
        (IMAGES, 2),  # pages with their images, then placeholders: topics are not read, so not loaded
        (TITLES, 1),
        (TREE_AND_SEO, None),
    ],
    ids=["latest", "news", "events", "search", "search-hits", "images", "titles", "tree-and-seo"],
)
def test_listing_sql_is_independent_of_page_size(content, client, query, expected):
    counts = {size: query_count(client, query, {"n": size}) for size in SIZES}
    assert len(set(counts.values())) == 1, counts
    if expected is not None:
        assert counts[1] == expected, counts


HOME = """{ home { title heroImage { srcset } featuredPages { title }
  latestNews { title mainImage { srcset } topics { name } }
  upcomingEvents { title venue { name } prices { amount } } } }"""
SITEMAP = "{ sitemap { path url lastModified } }"
TOPICS = "{ newsTopics { name slug count } }"


def counts_with_fewer_items(client, queries):
    """Each query's SQL count with all 50 news items and events, then with only 5 of each."""
    from django.core.cache import cache
    from wagtail.models import Page

    from events.models import EventPage
    from news.models import NewsPage

    full = [query_count(client, query, {}) for query in queries]
    public_before = sitemap_size(client)
    with transaction.atomic():
        for model in (NewsPage, EventPage):
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True)[5:])
            Page.objects.filter(pk__in=ids).update(live=False)
        cache.clear()  # a queryset update sends no signal: start from a new content generation
        # The API really shows 90 items fewer, so equal counts below mean something.
        assert sitemap_size(client) == public_before - 90
        fewer = [query_count(client, query, {}) for query in queries]
        transaction.set_rollback(True)
    cache.clear()
    return full, fewer


def sitemap_size(client):
    body = json.dumps({"query": SITEMAP})
    return len(client.post("/graphql/", data=body, content_type="application/json").json()["data"]["sitemap"])


@pytest.mark.parametrize(
    # The sitemap's second query finds the pages editors hid from search engines (`noindex`).
    ("query", "expected"),
    [(HOME, 7), (SITEMAP, 2), (TOPICS, 1)],
    ids=["home", "sitemap", "topics"],
)
def test_home_sitemap_and_topics_are_constant(content, client, query, expected):
    full, fewer = counts_with_fewer_items(client, [query])
    assert full == fewer == [expected]


def test_single_page_lookup_is_constant(content, client):
    query = """query($path: String!) { page(path: $path) { title ... on NewsPage { summary topics { name }
      mainImage { srcset rendition(filter: WIDTH_800) { url } }
      body { blockType ... on ParagraphBlock { html } ... on ButtonBlock { url }
             ... on ImageBlock { image { srcset } } } } } }"""
    assert query_count(client, query, {"path": "/news/peru-news-7/"}) == 4


def test_a_page_of_search_results_loads_without_asking_for_its_content_types(content, client):
    """The ranked query carries each match's content type (api/search.py specific_pages), so the
    pages load without the query Wagtail's `specific()` makes for them first."""
    sql = []
    assert query_count(client, SEARCH, {"n": 10}, sql) >= 2
    # Wagtail's `specific()`: SELECT "wagtailcore_page"."id" AS "pk", … "content_type_id" AS "content_type" …
    assert not [statement for statement in sql if 'AS "content_type" FROM' in statement], sql
