"""Feeds of the latest public news for partner sites and feed readers: RSS 2.0, Atom and JSON Feed 1.1.

Every feed lists the newest `FEED_SIZE` public items (`news.queries.news_items()`), optionally of
one topic (`?topic=<slug>`; an unknown slug is a 404). Links point at the public frontend, and
are absolute whether or not FRONTEND_URL is set (news.partner_urls); images
are absolute URLs (on MEDIA_BASE_URL: api.media.media_url) of a `width-800` rendition, and only of
images anyone may see. The SQL a feed costs does not grow with the number of items
(`prepare_pages` inside a `request_scope`).
"""

import datetime
import json
import mimetypes
import zoneinfo
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from api.input_rules import forbidden_character
from api.media import media_url
from api.prefetch import prepare_pages, renditions
from api.visibility import public_media, public_pages
from cms.paths import frontend_path, frontend_url
from cms.request_cache import request_scope
from news.models import NewsIndexPage, Topic
from news.partner_urls import absolute, canonical_feed_url, entry_id
from news.queries import news_items

FEED_SIZE = 20
AUTHOR = "Peru Support Group"
FEED_LANGUAGE = "en-GB"
FEED_IMAGE_FILTER = "width-800"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8"


@dataclass
class FeedImage:
    url: str
    width: int
    height: int
    alt: str
    length: int
    mime_type: str
    srcset: str = ""


@dataclass
class FeedEntry:
    id: str
    title: str
    url: str
    summary: str
    date: datetime.date
    published: datetime.datetime
    updated: datetime.datetime
    categories: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    image: FeedImage | None = None


def topic_from_slug(slug):
    """The Topic for `?topic=`; None when absent; Http404 when no topic has that slug."""
    if not slug:
        return None
    # No slug is longer than its column or holds NUL: no need to ask the database.
    if len(slug) > Topic._meta.get_field("slug").max_length or forbidden_character(slug):
        raise Http404("No such topic.")
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such topic.")
    return topic


def news_page_url(request):
    """The absolute URL of the news section on the frontend ("/news/" if it cannot be found)."""
    index = public_pages(NewsIndexPage).only("url_path").first()
    path = frontend_path(index) if index is not None else None
    return absolute(request, frontend_url(path or "/news/"))


def london_midnight(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def last_changed(page, published):
    """When the item last changed for its readers: its last publishing, never before its date.

    An item may be published ahead of its publication date; its entry is not older than that.
    """
    return max(published, page.last_published_at or published)


def _image(request, page, srcset_filters=()):
    image = public_media(page.main_image) if page.main_image_id else None
    if image is None:
        return None
    rendition = renditions(image, FEED_IMAGE_FILTER)[FEED_IMAGE_FILTER]
    try:
        length = rendition.file.size
    except (OSError, ValueError):  # the file is gone from storage: still list the image
        length = 0
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    srcset = ""
    if srcset_filters:
        by_width = {}
        for other in renditions(image, *srcset_filters).values():
            by_width.setdefault(other.width, other)
        srcset = ", ".join(f"{media_url(r.url)} {width}w" for width, r in sorted(by_width.items()))
    return FeedImage(
        url=media_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=image.default_alt_text,
        length=length,
        mime_type=mime_type,
        srcset=srcset,
    )


def latest_entries(request, topic=None, count=FEED_SIZE, images=True, srcset_filters=()):
    """The newest public news items as FeedEntry objects. Call inside `request_scope()`."""
    qs = news_items()
    if topic is not None:
        qs = qs.filter(topics=topic)
    pages = prepare_pages(qs[:count])
    entries = []
    for page in pages:
        topics = page.topic_list
        published = london_midnight(page.publication_date)
        url = absolute(request, frontend_url(frontend_path(page)))
        entries.append(
            FeedEntry(
                id=entry_id(page, url),
                title=page.title,
                url=url,
                summary=page.summary,
                date=page.publication_date,
                published=published,
                updated=last_changed(page, published),
                categories=[t.name for t in topics],
                topics=topics,
                image=_image(request, page, srcset_filters) if images else None,
            )
        )
    return entries


# An ETag (and Last-Modified when set) on GET answers, and 304 for If-None-Match / If-Modified-Since.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_caching(view):
    """`Cache-Control: public, max-age=GRAPHQL_CACHE_MAX_AGE`, an ETag, and 304 for If-None-Match."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
        return response

    return conditional_get(wrapped)


def plain_description(obj) -> str:
    """The feed's description as plain text."""
    about = f" on {obj.topic.name}" if obj.topic else ""
    return f"The latest news{about} from the {AUTHOR}: human rights, development and justice in Peru."


class _FeedContext:
    def __init__(self, request, topic):
        self.request, self.topic = request, topic
        self.entries = latest_entries(request, topic)
        self.home = news_page_url(request)


# With no entries Django dates a feed "now": its bytes, and so its ETag, would change every second
# and no reader's conditional request would ever get a 304.
EMPTY_FEED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class _DatedWhenEmpty:
    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_DATE


class _RssFeed(_DatedWhenEmpty, Rss201rev2Feed):
    pass


class _AtomFeed(_DatedWhenEmpty, Atom1Feed):
    pass


class NewsRssFeed(Feed):
    feed_type = _RssFeed
    language = FEED_LANGUAGE
    author_name = AUTHOR
    item_guid_is_permalink = False

    def get_object(self, request, *args, **kwargs):
        return _FeedContext(request, topic_from_slug(request.GET.get("topic")))

    def title(self, obj):
        return f"{AUTHOR}: news" + (f" on {obj.topic.name}" if obj.topic else "")

    def description(self, obj):
        # Feed readers take an RSS description as HTML; the text in it is plain.
        return escape(plain_description(obj))

    def subtitle(self, obj):
        return plain_description(obj)

    def link(self, obj):
        return obj.home

    def feed_url(self, obj):
        return canonical_feed_url(obj.request, obj.topic)

    def categories(self, obj):
        return [obj.topic.name] if obj.topic else None

    def items(self, obj):
        return obj.entries

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.url

    def item_description(self, item):
        # An RSS description and an Atom summary (type="html") are read as HTML; summaries are
        # plain text, so whatever they hold is shown as text, never run.
        return escape(item.summary)

    def item_guid(self, item):
        return item.id

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        # Atom requires one <updated> per entry (RFC 4287 §4.1.2); it also makes the feed's own.
        return item.updated

    def item_author_name(self, item):
        return AUTHOR

    def item_categories(self, item):
        return item.categories

    def item_enclosures(self, item):
        if item.image is None:
            return []
        return [Enclosure(item.image.url, str(item.image.length), item.image.mime_type)]


class NewsAtomFeed(NewsRssFeed):
    feed_type = _AtomFeed

    def feed_guid(self, obj):
        return canonical_feed_url(obj.request, obj.topic)


def _scoped(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with request_scope():
            return view(request, *args, **kwargs)

    return wrapped


FEED_PARAMETERS = ("topic",)


def repeated_parameter(params, names):
    """The first of `names` given more than once in the query string (which one would count?), or None."""
    return next((name for name in names if len(params.getlist(name)) > 1), None)


def feed_error(request, message, status=400):
    """A refusal in the feed's own kind: JSON for the JSON feed, plain text for the others."""
    if request.path_info.endswith(".json"):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


READ_METHODS = ("GET", "HEAD")


def read_only(view):
    """GET and HEAD only; any other method is 405 in the endpoint's kind, with `Allow`.

    Exempt from CSRF: nothing here changes state, and without it a POST met the CSRF check first
    and got its HTML 403 page instead of the 405 the method deserves.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            response = feed_error(request, "Only GET and HEAD are served here.", status=405)
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _single_parameters(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        repeated = repeated_parameter(request.GET, FEED_PARAMETERS)
        if repeated:
            return feed_error(request, f"`{repeated}` is given more than once.")
        return view(request, *args, **kwargs)

    return wrapped


rss_feed = read_only(public_caching(_single_parameters(_scoped(NewsRssFeed()))))
atom_feed = read_only(public_caching(_single_parameters(_scoped(NewsAtomFeed()))))


@read_only
@public_caching
@_single_parameters
@_scoped
def json_feed(request):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    try:
        topic = topic_from_slug(request.GET.get("topic"))
    except Http404:
        return feed_error(request, "No such topic.", status=404)
    feed = NewsRssFeed()
    context = _FeedContext(request, topic)
    author = {"name": AUTHOR, "url": settings.FRONTEND_URL or None}
    author = {key: value for key, value in author.items() if value}
    items = []
    for entry in context.entries:
        item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_text": entry.summary,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "authors": [author],
            "tags": entry.categories,
        }
        if entry.image is not None:
            item["image"] = entry.image.url
        items.append(item)
    body = {
        "version": JSON_FEED_VERSION,
        "title": feed.title(context),
        "home_page_url": context.home,
        "feed_url": canonical_feed_url(request, topic),
        "description": plain_description(context),
        "language": FEED_LANGUAGE,
        "authors": [author],
        "items": items,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), content_type=JSON_FEED_CONTENT_TYPE
    )
