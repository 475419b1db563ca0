"""Public events: upcoming (not yet ended) and past."""

import datetime

from django.db.models import Min, Q
from django.utils import timezone

from api.visibility import listing_now, public_pages
from events.models import EventPage


def events():
    return public_pages(EventPage)


def _not_ended(now):
    # An event with no announced end counts as running until the end of its start day (London).
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return Q(ends_at__gt=now) | Q(ends_at__isnull=True, starts_at__gte=start_of_today)


def upcoming_events(now=None):
    now = now or listing_now()
    return events().filter(_not_ended(now)).order_by("starts_at", "pk")


def ended_between(since, now):
    """The public events that were upcoming at `since` and are past at `now`."""
    return events().filter(_not_ended(since)).exclude(_not_ended(now))


def next_listing_change(now):
    """When the clock alone next moves an event from upcoming to past: the next end, or the turn of
    London's day (an event with no announced end stops being upcoming then), whichever is first."""
    ends = EventPage.objects.aggregate(ends=Min("ends_at", filter=Q(ends_at__gt=now)))["ends"]
    local = timezone.localtime(now)
    midnight = (local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(ends, midnight) if ends else midnight


def past_events(now=None):
    now = now or listing_now()
    return events().exclude(_not_ended(now)).order_by("-starts_at", "-pk")


def london_day_bounds(day):
    """The aware datetimes where a London calendar day starts and the next one starts."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def next_registration_change(now):
    """When the clock alone next opens or closes an event's registration form (its opening, its
    deadline, or the start, which closes it when there is no deadline)."""
    forms = EventPage.objects.filter(registration_form=True)
    moments = forms.aggregate(
        opens=Min("registration_opens_at", filter=Q(registration_opens_at__gt=now)),
        deadline=Min("registration_deadline", filter=Q(registration_deadline__gt=now)),
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment), default=None)
