"""What is measured: the same reads through GraphQL, Wagtail's REST API v2 and a static file."""

NEWS_QUERY = """query BenchNews {
  news(pageSize: 20) {
    items {
      title publicationDate summary url
      mainImage { rendition(filter: FILL_400X300) { url width height } }
      topics { name slug }
    }
  }
}"""

PAGE_QUERY = """query BenchPage($path: String!) {
  page(path: $path) {
    title url
    ... on NewsPage {
      publicationDate summary
      body { blockType ... on ParagraphBlock { html } }
      mainImage { rendition(filter: FILL_400X300) { url width height } }
      topics { name slug }
    }
  }
}"""

EVENTS_QUERY = """query BenchEvents {
  events(pageSize: 10) {
    items {
      title startsAt endsAt summary url
      venue { name }
      prices { label amount currency }
    }
  }
}"""

SEARCH_QUERY = """query BenchSearch($q: String!) {
  search(query: $q, pageSize: 10) {
    items { title url ... on NewsPage { summary publicationDate } }
    pagination { totalCount }
  }
}"""

# 25 aliases: over GRAPHQL_LIMITS["MAX_ALIASES"] (20), refused with 400 before any resolver runs.
ALIASES_QUERY = "{ " + " ".join(f"a{n}: siteSettings {{ organisationName }}" for n in range(25)) + " }"

JUNK_BODY_BYTES = 400_000  # over GRAPHQL_LIMITS["MAX_BODY_BYTES"]: refused with 413 unread

SEARCH_TERM = "Cajamarca"

REST_NEWS_FIELDS = "title,publication_date,summary,frontend_path,main_image_400x300,topics"
REST_EVENT_FIELDS = "title,starts_at,ends_at,summary,frontend_path,venue_name,prices"


def scenarios(page_path, page_id):
    """Each: name, GraphQL (query, variables) or a raw hostile request, and the REST v2 path."""
    return [
        {
            "name": "news: latest 20",
            "key": "news",
            "query": NEWS_QUERY,
            "variables": None,
            "rest": f"/bench-api/v2/pages/?type=news.NewsPage&fields={REST_NEWS_FIELDS}"
            "&order=-publication_date&limit=20",
        },
        {
            "name": "page by path",
            "key": "page",
            "query": PAGE_QUERY,
            "variables": {"path": page_path},
            "rest": f"/bench-api/v2/pages/{page_id}/?fields={REST_NEWS_FIELDS},body",
        },
        {
            "name": "upcoming events",
            "key": "events",
            "query": EVENTS_QUERY,
            "variables": None,
            "rest": f"/bench-api/v2/pages/?type=events.EventPage&fields={REST_EVENT_FIELDS}"
            "&order=starts_at&limit=10",
        },
        {
            "name": "search",
            "key": "search",
            "query": SEARCH_QUERY,
            "variables": {"q": SEARCH_TERM},
            "rest": f"/bench-api/v2/pages/?type=news.NewsPage&search={SEARCH_TERM}"
            "&fields=title,frontend_path,summary,publication_date&limit=10",
        },
        {
            "name": "hostile: 25 aliases",
            "key": "aliases",
            "query": ALIASES_QUERY,
            "variables": None,
            "rest": None,
            "hostile": True,
        },
        {
            "name": "hostile: 0.4 MB junk POST",
            "key": "junk",
            "query": None,
            "variables": None,
            "rest": None,
            "hostile": True,
            "post_body": "x" * JUNK_BODY_BYTES,
        },
    ]
