"""The rules of registering for an event through its form: when it is open, who gets a place and who
waits, what cancelling does (the first on the waiting list moves up) and what calling the event off
does (everyone registered is told). Emails are queued for the worker once the change is committed
(events/registration_emails.py), so no request waits on a mail server.

Places are counted and given under a lock on the event's row (PostgreSQL's SELECT … FOR UPDATE), so
two people sending the form at once for the last place cannot both get it. Deleting a registration,
however it is done, frees its place as cancelling does (`_place_freed`, below).
"""

import datetime
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page

from events.registration_emails import Notice, send_after_commit
from events.registrations import Registration

Status = Registration.Status
# The event statuses (events.models.EventPage.Status) that close registration and are announced.
CALLED_OFF = {"postponed", "cancelled"}


@dataclass(frozen=True)
class Outcome:
    """What became of a registration form sent: the message for the person, and their registration."""

    ok: bool
    message: str
    registration: Registration | None = None


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


def closed_reason(event: Any, now: datetime.datetime | None = None) -> str | None:
    """Why the event's form takes no registration now, or None while it is open."""
    now = now or timezone.now()
    if not event.registration_form:
        return "This event does not take registrations here."
    if event.status == "cancelled":
        return "This event is cancelled, so registration is closed."
    if event.status == "postponed":
        return "This event is postponed, so registration is closed until it has a new date."
    if event.registration_opens_at and now < event.registration_opens_at:
        return f"Registration opens on {_when(event.registration_opens_at)}."
    if now >= event.registration_closes_at:
        return "Registration for this event has closed."
    return None


def places_taken(event: Any) -> int:
    """Confirmed registrations: loaded for a whole API list at once by `load_places_taken`."""
    taken = getattr(event, "_places_taken", None)
    if taken is None:
        taken = Registration.objects.filter(page_id=event.pk, status=Status.CONFIRMED).count()
        event._places_taken = taken
    return int(taken)


def load_places_taken(events: Iterable[Any]) -> None:
    """One query for every event of a list (the API's listings)."""
    events = [event for event in events if event.registration_form]
    if not events:
        return
    counts = dict(
        Registration.objects.filter(page_id__in=[event.pk for event in events], status=Status.CONFIRMED)
        .values_list("page_id")
        .annotate(taken=Count("pk"))
        .values_list("page_id", "taken")
    )
    for event in events:
        event._places_taken = counts.get(event.pk, 0)


def places_left(event: Any) -> int | None:
    """Places not yet confirmed to anyone; None without a limit."""
    if event.registration_capacity is None:
        return None
    return max(int(event.registration_capacity) - places_taken(event), 0)


def _locked(event: Any) -> Any:
    # Only the event's own row: editors saving the page in the meantime are not held up.
    return type(event).objects.select_for_update(of=("self",)).get(pk=event.pk)


def _address_and_name(event: Any, answers: Mapping[str, Any]) -> tuple[str, str]:
    questions = list(event.get_form_fields())
    email_question = event.email_field_name()
    email = str(answers.get(email_question) or "") if email_question else ""
    named = [q for q in questions if q.name in {"name", "full_name", "your_name"}] or [
        q for q in questions if q.field_type == "singleline"
    ]
    name = str(answers.get(named[0].name) or "") if named else ""
    return email.strip(), name.strip()[:255]


def register(event: Any, answers: Mapping[str, Any], now: datetime.datetime | None = None) -> Outcome:
    """Registers the person who sent `answers` (the form's cleaned data): a place while there is
    one, else the waiting list (if the event keeps one), else a refusal."""
    email, name = _address_and_name(event, answers)
    if not email:
        return Outcome(False, "Give your email address: your confirmation is sent there.")
    with transaction.atomic():
        event = _locked(event)
        reason = closed_reason(event, now)
        if reason:
            return Outcome(False, reason)
        already = (
            Registration.objects.filter(page_id=event.pk, email__iexact=email)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if already:
            # Written to the address, not told here: the form never says who has registered.
            send_after_commit(already, Notice.REMINDER)
            return Outcome(True, "Thank you. We have emailed you about your place.", already)
        left = places_left(event)
        if left is None or left > 0:
            status, notice = Status.CONFIRMED, Notice.CONFIRMED
            message = "Your place is confirmed. We have emailed you the details and a link to cancel."
        elif event.registration_waiting_list:
            status, notice = Status.WAITLISTED, Notice.WAITLISTED
            message = (
                "The event is full: you are on the waiting list. We will email you if a place comes free."
            )
        else:
            return Outcome(False, "Sorry, the event is full.")
        registration = Registration.objects.create(
            page=event, form_data=dict(answers), email=email, name=name, status=status
        )
        send_after_commit(registration, notice)
    return Outcome(True, message, registration)


def promote_waiting(event: Any, now: datetime.datetime | None = None) -> list[Registration]:
    """Gives free places to the first on the waiting list, in the order they registered, while the
    event still takes registrations. Called with the event's row locked."""
    if not _gives_places(event, now):
        return []
    promoted = []
    left = places_left(event)
    waiting = Registration.objects.filter(page_id=event.pk, status=Status.WAITLISTED).order_by(
        "submit_time", "pk"
    )
    for registration in waiting[: left if left is not None else None]:
        registration.status = Status.CONFIRMED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        send_after_commit(registration, Notice.PROMOTED)
        promoted.append(registration)
    event._places_taken = None
    return promoted


def _gives_places(event: Any, now: datetime.datetime | None) -> bool:
    # Past the deadline too: a freed place still goes to who is waiting, up to the start of the event.
    now = now or timezone.now()
    return bool(event.registration_form and event.status not in CALLED_OFF and now < event.starts_at)


@dataclass(frozen=True)
class Cancellation:
    """A cancelled registration and who was given the place it freed."""

    registration: Registration
    promoted: list[Registration]
    cancelled_now: bool


def cancel_place(registration_id: int, notice: Notice = Notice.CANCELLED) -> Cancellation | None:
    """Cancels a place (or a place on the waiting list), writes `notice` to the person and gives a
    freed place to the first waiting. None if there is no such registration; an already cancelled
    one is left as it is and nobody is written to."""
    with transaction.atomic():
        found: Registration | None = (
            Registration.objects.filter(pk=registration_id).select_related("page").first()
        )
        if found is None:
            return None
        event = _locked(found.page.specific)
        # Read again under the event's lock: the place it holds now, not before the lock.
        registration: Registration = Registration.objects.get(pk=registration_id)
        if registration.status == Status.CANCELLED:
            return Cancellation(registration, [], cancelled_now=False)
        freed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        send_after_commit(registration, notice)
        promoted = promote_waiting(event) if freed else []
    return Cancellation(registration, promoted, cancelled_now=True)


def cancel(registration_id: int) -> Registration | None:
    """The person's own cancelling (their link, or erasure): `cancel_place` with their notice."""
    cancellation = cancel_place(registration_id)
    return cancellation.registration if cancellation else None


# The last event this thread told of a postponement or cancellation, and how many people: (event
# id, count), for the message the admin shows after publishing (events/wagtail_hooks.py).
announced = threading.local()


def event_changed(event: Any) -> int:
    """After an event is published: tell everyone registered that it is postponed or cancelled
    (once per status), or give places to those waiting if more places were added. How many people
    are being told (0 when going ahead)."""
    told = 0
    with transaction.atomic():
        event = _locked(event)
        if event.status in CALLED_OFF:
            to_tell = Registration.objects.filter(
                page_id=event.pk, status__in=[Status.CONFIRMED, Status.WAITLISTED]
            ).exclude(told_of_event_status=event.status)
            notice = Notice.EVENT_CANCELLED if event.status == "cancelled" else Notice.EVENT_POSTPONED
            for registration in to_tell:
                registration.told_of_event_status = event.status
                registration.save(update_fields=["told_of_event_status"])
                send_after_commit(registration, notice)
                told += 1
        else:
            # Going ahead again: a later postponement or cancellation is news to everyone.
            Registration.objects.filter(page_id=event.pk).exclude(told_of_event_status="").update(
                told_of_event_status=""
            )
            if event.registration_form:
                promote_waiting(event)
    announced.told = (event.pk, told)
    return told


# Deleting registrations (Wagtail's Forms submissions, erasure, retention, the ORM) frees the confirmed
# places as cancelling does. Django sends every pre_delete of a deletion before deleting any row, and
# each post_delete after its rows are gone, all in the deletion's transaction, each with the
# deletion's `origin` (the instance or queryset `delete()` was called on). So, once per deletion: the
# events it touches are locked in the order of their ids (as registering and cancelling lock an event
# before touching its registrations: two deletions at once neither deadlock nor give one place away),
# which of its rows held a place is read under those locks, and each event whose places were freed
# fills them once, after its rows are gone. An event deleted with its registrations fills nothing.
@dataclass
class _Deletion:
    events: dict[int, Any]  # id: the event, locked
    held: set[int]  # registrations that held a place, read under the locks
    freed: set[int]  # events whose places are filled after the rows are gone
    filled: set[int]


def _deletion(origin: Any, instance: Registration) -> _Deletion:
    known: _Deletion | None = getattr(origin, "_psg_registrations_deletion", None)
    if known is not None and instance.page_id in known.events:
        return known
    # The whole deletion when it is a queryset of registrations (its rows are all still there).
    rows = (
        origin
        if isinstance(origin, QuerySet) and origin.model is Registration
        else Registration.objects.filter(pk=instance.pk)
    )
    event_ids = sorted({*rows.values_list("page_id", flat=True), instance.page_id})
    event_model = apps.get_model("events", "EventPage")
    # An event deleted (or under a page deleted) goes with its registrations: nothing to fill.
    gone = _deleted_with(origin, event_ids)
    event_ids = [pk for pk in event_ids if pk not in gone]
    events = {
        event.pk: event
        for event in event_model.objects.select_for_update(of=("self",))
        .filter(pk__in=event_ids)
        .order_by("pk")
    }
    held = set(
        Registration.objects.filter(pk__in=rows.values("pk"), status=Status.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    deletion = known or _Deletion(events={}, held=set(), freed=set(), filled=set())
    deletion.events.update(events)
    deletion.events.setdefault(instance.page_id, None)
    deletion.held |= held
    try:
        origin._psg_registrations_deletion = deletion
    except AttributeError:  # an origin that takes no attributes: this row is its own deletion
        pass
    return deletion


def _deleted_with(origin: Any, event_ids: list[int]) -> set[int]:
    """Of `event_ids`, the pages this deletion deletes too: a page's deletion takes the pages below."""
    if isinstance(origin, Page):
        roots = [origin.path]
    elif isinstance(origin, QuerySet) and issubclass(origin.model, Page):
        roots = list(origin.values_list("path", flat=True))
    else:
        return set()
    events = Page.objects.filter(pk__in=event_ids).values_list("pk", "path")
    return {pk for pk, path in events if path.startswith(tuple(roots))}


@receiver(pre_delete, sender=Registration, dispatch_uid="events-registration-lock-before-delete")
def _lock_before_delete(sender: Any, instance: Registration, origin: Any = None, **kwargs: Any) -> None:
    deletion = _deletion(origin, instance)
    if instance.pk in deletion.held and deletion.events.get(instance.page_id) is not None:
        deletion.freed.add(instance.page_id)
    instance._psg_registrations_deletion = deletion


@receiver(post_delete, sender=Registration, dispatch_uid="events-registration-place-freed")
def _place_freed(sender: Any, instance: Registration, **kwargs: Any) -> None:
    deletion: _Deletion | None = getattr(instance, "_psg_registrations_deletion", None)
    if deletion is None or instance.page_id not in deletion.freed or instance.page_id in deletion.filled:
        return
    deletion.filled.add(instance.page_id)
    # The people deleted are not written to: only those given the places.
    promote_waiting(deletion.events[instance.page_id])
