"""The indexes the API's reads rely on exist after migrating (Wagtail has none of these)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def indexes(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_listing_and_lookup_indexes():
    assert "news_publication_date_idx" in indexes("news_newspage")
    assert "events_starts_at_idx" in indexes("events_eventpage")
    assert "cms_page_url_path_idx" in indexes("wagtailcore_page")


def test_search_expression_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches through its own FTS table")
    assert "cms_search_entry_text_idx" in indexes("wagtailsearch_indexentry")
    # The index serves the expression Wagtail's backend matches against.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM wagtailsearch_indexentry WHERE (title || body) @@ to_tsquery('peru')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "cms_search_entry_text_idx" in plan
