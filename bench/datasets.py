"""Build a benchmark dataset fast: real Wagtail pages with correct tree paths, written in bulk.

News and event pages are multi-table models, which `bulk_create` refuses, so their `Page` rows go
in with `Page.objects.bulk_create` (paths computed the way treebeard does) and their own rows with
one multi-row INSERT per batch. Images are real files with every allowed rendition made, topics
are real tags, and the search index is filled through the configured backend.

Run inside Django: `python -m bench.datasets NEWS EVENTS` (with DATABASE_URL and MEDIA_ROOT set).
"""

import datetime
import io
import sys
import time
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")
N_IMAGES = 20
TOPICS_PER_ITEM = 3
TOPIC_NAMES = [
    "Mining",
    "Human rights",
    "Politics",
    "Environment",
    "Indigenous peoples",
    "Amazon",
    "Water",
    "Oil",
    "Justice",
    "Elections",
    "Gender",
    "Climate",
]
PLACES = ["Cajamarca", "Loreto", "Cusco", "Puno", "Lima", "Arequipa", "Apurímac", "Ucayali"]
BATCH = 1000


def _image_file(n):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    picture = PILImage.new("RGB", (1600, 1067), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return ImageFile(buffer, name=f"bench-{n:02d}.jpg")


def _site():
    """A fresh home page as the default site's root, with the news and events sections."""
    from wagtail.models import Page, Site

    from events.models import EventIndexPage
    from home.models import HomePage
    from news.models import NewsIndexPage

    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for child in root.get_children():
        child.delete()
    root.refresh_from_db()
    home = root.add_child(
        instance=HomePage(title="Peru Support Group", slug="psg-home", hero_heading="Human rights in Peru")
    )
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="PSG")
    news_index = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    events_index = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    return news_index, events_index


def _bulk_pages(parent, model, rows):
    """Create children of `parent`: `rows` are (page fields, specific fields) dicts. Returns ids."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    depth = parent.depth + 1
    start = parent.numchild
    base = []
    for offset, (page_fields, _specific) in enumerate(rows):
        slug = page_fields["slug"]
        base.append(
            Page(
                title=page_fields["title"],
                draft_title=page_fields["title"],
                slug=slug,
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                url_path=f"{parent.url_path}{slug}/",
                first_published_at=page_fields.get("published", now),
                last_published_at=page_fields.get("published", now),
                locale_id=parent.locale_id,
                path=Page._get_path(parent.path, depth, start + offset + 1),
                depth=depth,
                numchild=0,
            )
        )
    created = Page.objects.bulk_create(base, batch_size=BATCH)
    if connection.vendor != "postgresql" or created[0].pk is None:  # no RETURNING: look them up
        ids = dict(Page.objects.filter(path__in=[p.path for p in base]).values_list("path", "pk"))
        for page in created:
            page.pk = page.id = ids[page.path]
    specific = [
        model(page_ptr_id=page.pk, **specific_fields)
        for page, (_fields, specific_fields) in zip(created, rows, strict=True)
    ]
    local_fields = model._meta.local_concrete_fields
    for i in range(0, len(specific), BATCH):
        model._base_manager._insert(specific[i : i + BATCH], fields=local_fields, raw=True)
    Page.objects.filter(pk=parent.pk).update(numchild=start + len(rows))
    parent.numchild = start + len(rows)
    return [page.pk for page in created]


def _body(n, place):
    from wagtail.rich_text import RichText

    return [
        ("paragraph", RichText(f"<p>Report {n} from {place}: communities, companies and the state.</p>")),
        ("paragraph", RichText("<p>Background: <b>what led here</b>, and who is involved.</p>")),
        ("paragraph", RichText(f"<p>PSG follows events in {place} closely and will report again.</p>")),
    ]


def build(n_news, n_events, n_images=N_IMAGES, log=print):
    """Replace the site's content with `n_news` news items and `n_events` events."""
    from django.db import transaction
    from wagtail.images.models import Image
    from wagtail.search.backends import get_search_backend

    from api.renditions import generate_allowed_renditions
    from events.models import EventPage, TicketPrice, Venue
    from news.models import NewsPage, TaggedNewsPage, Topic

    started = time.monotonic()
    with transaction.atomic():
        news_index, events_index = _site()
        images = []
        for n in range(n_images):
            image = Image(title=f"Bench image {n}", file=_image_file(n))
            image.save()
            images.append(image)
        topics = [
            Topic.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})[0]
            for name in TOPIC_NAMES
        ]
        first_day = datetime.date(2026, 1, 1)
        rows = []
        for n in range(n_news):
            place = PLACES[n % len(PLACES)]
            day = first_day - datetime.timedelta(days=n // 3)
            rows.append(
                (
                    {
                        "title": f"News {n}: {place} and {TOPIC_NAMES[n % len(TOPIC_NAMES)].lower()}",
                        "slug": f"news-{n}",
                        "published": datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON),
                    },
                    {
                        "publication_date": day,
                        "summary": f"What happened in {place} (item {n}), in three sentences for lists.",
                        "body": _body(n, place),
                        "main_image_id": images[n % n_images].pk,
                    },
                )
            )
        news_ids = _bulk_pages(news_index, NewsPage, rows)
        TaggedNewsPage.objects.bulk_create(
            [
                TaggedNewsPage(content_object_id=pk, tag=topics[(i + k * 5) % len(topics)])
                for i, pk in enumerate(news_ids)
                for k in range(TOPICS_PER_ITEM)
            ],
            batch_size=BATCH * 3,
        )
        venue = Venue.objects.create(name="UCL Global Governance Institute", postcode="WC1H 9QU")
        start = datetime.datetime(2030, 1, 10, 18, 30, tzinfo=LONDON)
        event_rows = [
            (
                {"title": f"Event {n}: {PLACES[n % len(PLACES)]} briefing", "slug": f"event-{n}"},
                {
                    "starts_at": start + datetime.timedelta(days=n),
                    "ends_at": start + datetime.timedelta(days=n, hours=2),
                    "summary": f"A briefing on {PLACES[n % len(PLACES)]}.",
                    "venue_id": venue.pk,
                    "body": [],
                },
            )
            for n in range(n_events)
        ]
        event_ids = _bulk_pages(events_index, EventPage, event_rows)
        TicketPrice.objects.bulk_create(
            [
                TicketPrice(page_id=pk, sort_order=k, label=label, amount=amount, currency="GBP")
                for pk in event_ids
                for k, (label, amount) in enumerate((("Non-members", "13.00"), ("Members", "8.00")))
            ]
        )
    log(f"  pages written in {time.monotonic() - started:.1f}s")
    for image in images:
        generate_allowed_renditions(image)
    log(f"  renditions made ({len(images)} images) at {time.monotonic() - started:.1f}s")
    backend = get_search_backend()
    for model, ids in ((NewsPage, news_ids), (EventPage, event_ids)):
        for i in range(0, len(ids), BATCH):
            backend.add_bulk(model, list(model.objects.filter(pk__in=ids[i : i + BATCH])))
    log(f"  search index filled at {time.monotonic() - started:.1f}s")
    # A bulk load leaves the planner without statistics until autovacuum gets round to it, as a
    # live site's database would have had long ago.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"news": len(news_ids), "events": len(event_ids), "images": len(images)}


def main(argv):
    import django

    django.setup()
    n_news, n_events = int(argv[1]), int(argv[2])
    result = build(n_news, n_events)
    print(f"built {result}")


if __name__ == "__main__":
    main(sys.argv)
