"""Wagtail's REST API v2 on /bench-api/v2/, only for `make bench` (settings.BENCH_REST_API).

It serves the fields the GraphQL bench queries ask for, so the two can be compared on the same data.
The `api_fields` are set here, at import time, so the models stay free of REST concerns.
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField

from events.models import EventPage, TicketPrice
from news.models import NewsPage


class TopicsField(serializers.Field):
    def to_representation(self, manager):
        return [{"name": t.name, "slug": t.slug} for t in sorted(manager.all(), key=lambda t: t.name)]


NewsPage.api_fields = [
    APIField("publication_date"),
    APIField("summary"),
    APIField("frontend_path"),
    APIField("body"),
    APIField("main_image_400x300", serializer=ImageRenditionField("fill-400x300", source="main_image")),
    APIField("topics", serializer=TopicsField()),
]
EventPage.api_fields = [
    APIField("starts_at"),
    APIField("ends_at"),
    APIField("summary"),
    APIField("frontend_path"),
    APIField("venue_name", serializer=serializers.CharField(source="venue.name", allow_null=True)),
    APIField("prices"),
]
TicketPrice.api_fields = [APIField("label"), APIField("amount"), APIField("currency")]


class BenchPagesAPIViewSet(PagesAPIViewSet):
    """Pages, with what listings read fetched up front (as the GraphQL listings do)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        model = getattr(queryset, "model", None)
        if model is NewsPage:
            return queryset.select_related("main_image").prefetch_related("topics", "main_image__renditions")
        if model is EventPage:
            return queryset.select_related("venue").prefetch_related("prices")
        return queryset


api_router = WagtailAPIRouter("bench_api")
api_router.register_endpoint("pages", BenchPagesAPIViewSet)
