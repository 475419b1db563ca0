"""Search over public pages with Wagtail's search backend: whole words, words as they are being
typed, near misses of titles, and highlighted snippets of what matched.

What a search finds, best first:

1. full-text matches of every word (Wagtail's `search()`, ranked by the backend);
2. then pages where every word starts a word of an `AutocompleteField` (titles, summaries,
   bodies): “Bamba” finds “Violence at Las Bambas” (Wagtail's `autocomplete()`);
3. only when neither finds anything, on PostgreSQL with pg_trgm: pages whose title nearly holds
   each of the words (trigram word similarity), so “Bambs” still finds it.

Each step is answered by an index (SQLite's FTS5 table; PostgreSQL's GIN indexes on the search
entries and on page titles), so what a search costs grows with the pages it matches (at most
MAX_SEARCH_RESULTS), not with how many pages there are. Snippets are made only for the page of
results shown, from the text the search indexes (the pages are loaded already).
"""

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, Value
from wagtail.models import Page
from wagtail.query import PageQuerySet
from wagtail.search import index

from api.graphql.errors import UserInputError
from api.prefetch import with_references_loaded
from cms.internals.modelsearch import result_rows

logger = logging.getLogger(__name__)

MAX_SEARCH_RESULTS = 500
# Shorter words have too few trigrams to tell a typo from another word.
MIN_TYPO_WORD = 3
SNIPPET_CHARACTERS = 200
MARK = ("<mark>", "</mark>")

# Search text is words, not syntax: quotes, brackets and operators would reach the database's
# full-text parser (SQLite's FTS5 fails on an unbalanced quote), so they become spaces.
_NOT_WORDS = re.compile(r"[^\w\s'’.-]+")
_WORD = re.compile(r"\w+")


def validate_search_term(term: str | None, argument: str) -> str:
    term = (term or "").strip()
    limit: int = settings.API_MAX_SEARCH_LENGTH
    if len(term) > limit:
        raise UserInputError(f"Search terms are limited to {limit} characters.", argument=argument)
    return " ".join(_NOT_WORDS.sub(" ", term).split())


class Match(NamedTuple):
    pk: int
    content_type_id: int


def matching_ids(queryset: PageQuerySet, term: str, within: Q | None = None) -> list[int]:
    """Ids of pages in `queryset` (and meeting the condition `within`, if given) that match `term`,
    best match first (at most MAX_SEARCH_RESULTS)."""
    return [match.pk for match in matching_pages(queryset, term, within)]


def matching_pages(queryset: PageQuerySet, term: str, within: Q | None = None) -> list[Match]:
    """matching_ids() with each page's content type, so the pages load without asking for it."""
    fields = ("content_type_id",)
    found = result_rows(queryset.search(term, operator="and"), within, MAX_SEARCH_RESULTS, fields)
    matches = [Match(*row) for row in found]
    if len(matches) < MAX_SEARCH_RESULTS and _WORD.search(term):
        seen = {match.pk for match in matches}
        as_typed = result_rows(
            queryset.autocomplete(term, operator="and"), within, MAX_SEARCH_RESULTS, fields
        )
        matches += [Match(*row) for row in as_typed if row[0] not in seen][
            : MAX_SEARCH_RESULTS - len(matches)
        ]
    if not matches:
        matches = near_title_matches(queryset if within is None else queryset.filter(within), term)
    return matches


def specific_pages(matches: Sequence[Match]) -> list[Page]:
    """The specific pages of `matches`, in order: one query per page type (Wagtail's `specific()`
    would first ask for the content types the matches already carry)."""
    by_type: dict[int, list[int]] = {}
    for match in matches:
        by_type.setdefault(match.content_type_id, []).append(match.pk)
    loaded: dict[int, Page] = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            loaded.update(Page.objects.filter(pk__in=pks).specific().in_bulk())  # a type since removed
        else:
            loaded.update(model._base_manager.filter(pk__in=pks).in_bulk())
    return [loaded[match.pk] for match in matches if match.pk in loaded]


# {database name: whether it has pg_trgm}, asked once per process.
_trigram_databases: dict[str, bool] = {}


def trigrams_available() -> bool:
    """Whether the database can compare trigrams (PostgreSQL with pg_trgm: api migration 0004)."""
    if connection.vendor != "postgresql":
        return False
    name = str(connection.settings_dict["NAME"])
    if name not in _trigram_databases:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trigram_databases[name] = cursor.fetchone() is not None
    return _trigram_databases[name]


def near_title_matches(queryset: PageQuerySet, term: str) -> list[Match]:
    """Pages whose title nearly holds each word of `term` (a typo or two), most alike first; none
    without pg_trgm.

    Word by word: `word <% title` (word similarity above pg_trgm.word_similarity_threshold, 0.6
    unless the database says otherwise), each answered by the trigram index. The words together
    would let a title that shares most of a long phrase through without its other words.
    """
    words = [word for word in _WORD.findall(term) if len(word) >= MIN_TYPO_WORD]
    if not words or not trigrams_available():
        return []
    pages = queryset
    for word in words:
        pages = pages.filter(TrigramWordSimilar(F("title"), Value(word)))
    ranked = (
        pages.annotate(likeness=TrigramWordSimilarity(term, "title"))
        .order_by("-likeness", "pk")
        .values_list("pk", "content_type_id")
    )
    try:
        with transaction.atomic():  # a failure here must not break the request's transaction
            return [Match(*row) for row in ranked[:MAX_SEARCH_RESULTS]]
    except DatabaseError:
        logger.exception("Trigram search failed; answering without typo tolerance.")
        return []


# --- Highlighting ---------------------------------------------------------------------------------


@dataclass
class Highlight:
    """A result's title and a snippet of its text as HTML: escaped, with what matched in <mark>."""

    title: str
    snippet: str


def _pattern(term: str) -> re.Pattern[str] | None:
    # Each word matches where a word starts with it, as the search matched it ("Bamba" in "Bambas").
    # Single letters ("s" of "Peru's") would mark every word that starts with them.
    words = sorted({word.lower() for word in _WORD.findall(term) if len(word) > 1}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)


def mark(text: str, pattern: re.Pattern[str] | None) -> str:
    """`text` HTML-escaped, each match of `pattern` in <mark>."""
    if pattern is None:
        return html.escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [html.escape(text[last : match.start()]), MARK[0], html.escape(match.group()), MARK[1]]
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def excerpt(text: str, pattern: re.Pattern[str] | None, length: int = SNIPPET_CHARACTERS) -> str:
    """About `length` characters of `text` around its first match, cut at spaces, marked."""
    text = " ".join(text.split())
    match = pattern.search(text) if pattern is not None else None
    start = 0
    if match is not None and match.end() > length * 2 // 3:
        start = max(0, match.start() - length // 4)
        start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = text[start:end]
    return ("… " if start else "") + mark(piece, pattern) + (" …" if end < len(text) else "")


def searchable_text(page: Page) -> str:
    """The text search matches a page on besides its title (its `SearchField`s: summary, body…),
    as the search backend reads it; what StreamFields refer to is loaded for the whole list."""
    texts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            with_references_loaded(page, field.field_name)
            texts.append(_plain(field.get_value(page)))
    return " ".join(text for text in texts if text)


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_plain(item) for item in value.values())
    return "" if value is None else str(value)


def highlights(pages: Sequence[Page], term: str) -> list[Highlight]:
    """Highlights of `pages` (one page of results) for `term`."""
    pattern = _pattern(term)
    return [
        Highlight(title=mark(page.title, pattern), snippet=excerpt(searchable_text(page), pattern))
        for page in pages
    ]
