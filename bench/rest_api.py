"""Wagtail's REST API v2 for `make bench` (mounted on /bench-api/v2/ by bench/urls.py).

It serves the fields the GraphQL bench queries ask for, so the two can be compared on the same data.
The fields are declared here, on the endpoint, so the models stay free of REST concerns: Wagtail
reads a page type's fields through the endpoint's `get_body_fields(model)`, which adds the model's
own `api_fields` (none here) to the endpoint's `body_fields`.
"""

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField

from events.models import EventPage, TicketPrice
from news.models import NewsPage


class TopicsField(serializers.Field):
    """A news item's topics by name, each as its name and slug."""

    def to_representation(self, value: Any) -> list[dict[str, str]]:
        return [{"name": t.name, "slug": t.slug} for t in sorted(value.all(), key=lambda t: t.name)]


class TicketPriceSerializer(serializers.ModelSerializer):
    """An event's prices, nested as Wagtail nests a child model's rows (with `meta.type`)."""

    meta = serializers.SerializerMethodField()

    class Meta:
        model = TicketPrice
        fields = ["id", "meta", "label", "amount", "currency"]

    def get_meta(self, price: TicketPrice) -> dict[str, str]:
        return {"type": price._meta.label}


class BenchPagesAPIViewSet(PagesAPIViewSet):
    """Pages with the bench's fields, and what listings read fetched up front (as the GraphQL
    listings do)."""

    fields_by_model: ClassVar[dict[type[Model], list[APIField]]] = {
        NewsPage: [
            APIField("publication_date"),
            APIField("summary"),
            APIField("frontend_path"),
            APIField("body"),
            APIField(
                "main_image_400x300", serializer=ImageRenditionField("fill-400x300", source="main_image")
            ),
            APIField("topics", serializer=TopicsField()),
        ],
        EventPage: [
            APIField("starts_at"),
            APIField("ends_at"),
            APIField("summary"),
            APIField("frontend_path"),
            APIField("venue_name", serializer=serializers.CharField(source="venue.name", allow_null=True)),
            APIField("prices", serializer=TicketPriceSerializer(many=True)),
        ],
    }

    @classmethod
    def get_body_fields(cls, model: type[Model]) -> list[APIField]:
        fields: list[APIField] = super().get_body_fields(model)
        return [*fields, *cls.fields_by_model.get(model, [])]

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        model = getattr(queryset, "model", None)
        if model is NewsPage:
            return queryset.select_related("main_image").prefetch_related("topics", "main_image__renditions")
        if model is EventPage:
            return queryset.select_related("venue").prefetch_related("prices")
        return queryset


api_router = WagtailAPIRouter("bench_api")
api_router.register_endpoint("pages", BenchPagesAPIViewSet)
