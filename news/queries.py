"""Public news, ready for listings: newest first, with what lists show fetched up front."""

from api.visibility import public_pages
from cms.listing_columns import EDITING_COLUMNS, leave_out
from news.models import NewsPage, Topic


def news_items():
    # Lists show the main image: joined here, one query fewer than prefetching it. The body is
    # loaded only if a client reads it (for the whole list at once).
    return leave_out(
        public_pages(NewsPage)
        .select_related("main_image")
        .order_by("-publication_date", "-first_published_at", "-pk"),
        "body",
        *EDITING_COLUMNS,
    )


def topics_with_counts():
    """Every topic with the number of public news items filed under it, busiest first."""
    from django.db.models import Count, Q

    public_ids = public_pages(NewsPage).values("pk")
    return (
        Topic.objects.annotate(
            count=Count("tagged_news", filter=Q(tagged_news__content_object__in=public_ids))
        )
        .filter(count__gt=0)
        .order_by("-count", "name")
    )
