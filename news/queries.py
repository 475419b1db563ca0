"""Public news, ready for listings: newest first, with what lists show fetched up front."""

from api.visibility import public_pages
from news.models import NewsPage, Topic


def news_items():
    # Lists show the main image: joined here, one query fewer than prefetching it.
    return (
        public_pages(NewsPage)
        .select_related("main_image")
        .order_by("-publication_date", "-first_published_at", "-pk")
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
