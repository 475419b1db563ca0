"""What partner sites embed: an iframe page (`/embed/news/`) and a script widget (`/embed/news.js`).

The iframe page is plain server-rendered HTML with its own stylesheet and no JavaScript; it may be
framed by any site (EMBED_FRAME_ANCESTORS). The script is a static file served from a fixed URL.
"""

import difflib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.http import http_date
from django.views.decorators.clickjacking import xframe_options_exempt

from api.input_rules import ascii_int, forbidden_character
from cms.request_cache import request_scope
from news.feeds import (
    conditional_get,
    latest_entries,
    news_page_url,
    public_caching,
    read_only,
    repeated_parameter,
)
from news.models import Topic

WIDGET_JS = Path(__file__).resolve().parent / "static" / "news" / "embed" / "news.js"
# The one query the script sends, character for character (tests/news/test_widget_query.py compares
# them): registered as a persisted query, so the widget works when the API runs only an allowlist.
WIDGET_QUERY = (
    "query PsgNewsWidget($pageSize: Int!, $topic: String, $images: Boolean!) {"
    " news(pageSize: $pageSize, topic: $topic) { items { title url summary publicationDate"
    " mainImage @include(if: $images) { alt rendition(filter: WIDTH_400) { url width height } srcset } } } }"
)
# The script's URL is fixed (partners paste it), so it cannot be cached forever: an hour.
WIDGET_MAX_AGE = 3600

MAX_COUNT = 20
DEFAULT_COUNT = 5
SRCSET_FILTERS = [spec for spec in settings.ALLOWED_IMAGE_FILTERS if spec.startswith("width-")]

# Locale → (Django language for month names, date format, texts).
LOCALES = {
    "en-GB": {
        "language": "en-gb",
        "date_format": "j F Y",
        "heading": "Latest news from the Peru Support Group",
        "more": "More news from the Peru Support Group",
        "empty": "No news yet.",
        "feeds": "Feeds",
    },
    "es-PE": {
        "language": "es",
        "date_format": r"j \d\e F \d\e Y",
        "heading": "Últimas noticias del Peru Support Group",
        "more": "Más noticias del Peru Support Group",
        "empty": "Todavía no hay noticias.",
        "feeds": "Canales",
    },
}


class BadParameter(ValueError):
    pass


OPTIONS = ("count", "images", "locale", "topic")
FEED_KINDS = ("rss", "atom", "json")


IMAGES = {"1": True, "true": True, "0": False, "false": False}


def _misspelt_option(name):
    """The option `name` looks like a typo of, if any (`cuont`, `Count`, `image`)."""
    close = difflib.get_close_matches(name.lower(), OPTIONS, n=1, cutoff=0.7)
    return close[0] if close and name not in OPTIONS else None


def _parse_options(params):
    # A misspelt option would otherwise go unnoticed, its default shown instead. Any other parameter
    # (`utm_source`, a plugin's `ver`) is left alone, as it always was: frames already on partners'
    # pages keep working.
    misspelt = next(((name, _misspelt_option(name)) for name in params if _misspelt_option(name)), None)
    if misspelt is not None:
        name, meant = misspelt
        raise BadParameter(
            f"`{name}` is not an option here: did you mean `{meant}`? The options are: {', '.join(OPTIONS)}."
        )
    repeated = repeated_parameter(params, OPTIONS)
    if repeated:
        raise BadParameter(f"`{repeated}` is given more than once.")
    count = ascii_int(params.get("count", str(DEFAULT_COUNT)), 1, MAX_COUNT)
    if count is None:
        raise BadParameter(f"`count` must be a whole number from 1 to {MAX_COUNT}, in digits 0-9.")
    images = params.get("images", "0")
    if images not in IMAGES:
        raise BadParameter("`images` must be 1 or 0 (or true or false).")
    locale = params.get("locale", "en-GB")
    by_lower = {name.lower(): name for name in LOCALES}
    if locale.lower() not in by_lower:
        raise BadParameter(f"`locale` must be one of: {', '.join(LOCALES)}.")
    topic = None
    slug = params.get("topic", "")
    if slug:
        # No slug is longer than its column or holds NUL: no need to ask the database.
        too_long = len(slug) > Topic._meta.get_field("slug").max_length
        topic = None if too_long or forbidden_character(slug) else Topic.objects.filter(slug=slug).first()
        if topic is None:
            known = ", ".join(Topic.objects.order_by("slug").values_list("slug", flat=True))
            topics = f"the topics are: {known}" if known else "there are no topics yet"
            raise BadParameter(f"`topic` is not a known topic slug; {topics}.")
    return {
        "count": count,
        "images": IMAGES[images],
        "locale": by_lower[locale.lower()],
        "topic": topic,
    }


def frame_ancestors():
    value = getattr(settings, "EMBED_FRAME_ANCESTORS", "*")
    return " ".join(value) if isinstance(value, list | tuple) else value


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _content_security_policy():
    # The page runs no script; it loads its stylesheet (same origin, or STATIC_URL's) and images.
    style = " ".join(filter(None, ["'self'", _origin(settings.STATIC_URL)]))
    return (
        f"default-src 'none'; style-src {style}; img-src 'self' https:; base-uri 'none'; "
        f"form-action 'none'; frame-ancestors {frame_ancestors()}"
    )


@read_only
@xframe_options_exempt
@public_caching
def news_iframe(request):
    """The latest news as a page to put in an <iframe>; options in the query string."""
    try:
        options = _parse_options(request.GET)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    texts = LOCALES[options["locale"]]
    with request_scope():
        entries = latest_entries(
            request,
            options["topic"],
            count=options["count"],
            images=options["images"],
            srcset_filters=SRCSET_FILTERS if options["images"] else (),
        )
        more_url = news_page_url(request)
    with translation.override(texts["language"]):
        for entry in entries:
            entry.display_date = format_date(entry.date, texts["date_format"])
    feed_query = "?" + urlencode({"topic": options["topic"].slug}) if options["topic"] else ""
    # Absolute, like every other link on the page: readers and partners copy them from its source.
    feeds = {
        kind: request.build_absolute_uri(reverse(f"news-feed-{kind}")) + feed_query for kind in FEED_KINDS
    }
    response = render(
        request,
        "news/embed_news.html",
        {
            "entries": entries,
            "texts": texts,
            "locale": options["locale"],
            "topic": options["topic"],
            "more_url": more_url,
            "feeds": feeds,
            "stylesheet": request.build_absolute_uri(static("news/embed/news.css")),
        },
    )
    response["Content-Security-Policy"] = _content_security_policy()
    response["Content-Language"] = options["locale"]
    return response


@lru_cache(maxsize=1)
def _widget_source():
    return WIDGET_JS.read_bytes(), http_date(WIDGET_JS.stat().st_mtime)


@read_only
def news_widget_js(request):
    """The drop-in script, at a URL partners paste once: cached for an hour, revalidated by ETag."""
    body, modified = _widget_source() if not settings.DEBUG else (WIDGET_JS.read_bytes(), None)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    if modified:
        response["Last-Modified"] = modified
    response["X-Content-Type-Options"] = "nosniff"
    return response


news_widget_js = conditional_get(news_widget_js)
