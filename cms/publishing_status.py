"""Where a page stands in publishing (live, draft, scheduled) and when it goes live: what the News and
Events listings filter and show, and what the dashboard's and the report's overview lists."""

import datetime
from typing import Any

from django.db.models import CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django_filters import ChoiceFilter
from wagtail.admin.ui.tables import Column
from wagtail.models import Page, Revision

LIVE, DRAFT, SCHEDULED = "live", "draft", "scheduled"
STATUS_CHOICES = [
    (LIVE, "Live (published)"),
    (DRAFT, "Draft (changes not yet published)"),
    (SCHEDULED, "Scheduled (approved to go live later)"),
]


def with_go_live(pages: QuerySet[Page]) -> QuerySet[Page]:
    """`pages` with `scheduled_go_live_at`: when the version approved to go live later does so."""
    scheduled = Revision.page_revisions.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()), approved_go_live_at__isnull=False
    ).order_by("approved_go_live_at")
    annotated: QuerySet[Page] = pages.annotate(
        scheduled_go_live_at=Subquery(scheduled.values("approved_go_live_at")[:1])
    )
    return annotated


def _scheduled_ids() -> QuerySet[Revision, dict[str, Any]]:
    scheduled = Revision.page_revisions.filter(approved_go_live_at__isnull=False)
    ids: QuerySet[Revision, dict[str, Any]] = scheduled.annotate(
        page_id=Cast("object_id", output_field=IntegerField())
    ).values("page_id")
    return ids


def with_status(pages: QuerySet[Page], status: str) -> QuerySet[Page]:
    """Those of `pages` in one of the STATUS_CHOICES."""
    # By id: the admin's search backend filters only on the fields a page type indexes for it.
    if status == LIVE:
        return pages.filter(live=True)
    if status == DRAFT:
        drafts = Page.objects.filter(has_unpublished_changes=True).exclude(pk__in=_scheduled_ids())
        return pages.filter(pk__in=drafts.values("pk"))
    if status == SCHEDULED:
        return pages.filter(pk__in=_scheduled_ids())
    return pages


def awaiting_publication(pages: QuerySet[Page]) -> QuerySet[Page]:
    """Scheduled pages, the next to go live first, then drafts, the latest edited first."""
    pending = with_go_live(pages).filter(
        Q(has_unpublished_changes=True) | Q(scheduled_go_live_at__isnull=False)
    )
    return pending.order_by(F("scheduled_go_live_at").asc(nulls_last=True), "-latest_revision_created_at")


def draft_go_live(pages: list[Page]) -> dict[int, datetime.datetime]:
    """The go-live time each unscheduled draft among `pages` asks for, once approved (one query)."""
    drafts = {
        page.latest_revision_id: page.pk for page in pages if not getattr(page, "scheduled_go_live_at", None)
    }
    asked = {}
    for revision_id, content in Revision.objects.filter(pk__in=list(drafts)).values_list("pk", "content"):
        go_live_at = parse_datetime(content.get("go_live_at") or "")
        if go_live_at and go_live_at > timezone.now():
            asked[drafts[revision_id]] = go_live_at
    return asked


def london_time(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else ""


class PublishingStatusFilter(ChoiceFilter):
    """Live, draft or scheduled."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", STATUS_CHOICES)
        super().__init__(empty_label="Any", label="Publishing status", **kwargs)

    def filter(self, qs: QuerySet[Page], value: str) -> QuerySet[Page]:
        return with_status(qs, value) if value else qs


class GoLiveColumn(Column):
    """When a scheduled page goes live, in London time: what its “scheduled” tag does not say."""

    def __init__(self, name: str = "go_live", **kwargs: Any) -> None:
        kwargs.setdefault("label", "Goes live")
        kwargs.setdefault("classname", "psg-go-live")  # hidden on a phone (cms/static/cms/admin.css)
        super().__init__(
            name, accessor=lambda page: london_time(getattr(page, "scheduled_go_live_at", None)), **kwargs
        )


class GoLiveListingMixin:
    """A Wagtail page listing view whose pages carry `scheduled_go_live_at`."""

    def annotate_queryset(self, pages: QuerySet[Page]) -> QuerySet[Page]:
        # The listing view it is mixed into has the method; mypy sees only `object` above the mixin.
        return with_go_live(super().annotate_queryset(pages))  # type: ignore[misc]
