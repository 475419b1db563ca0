"""The emails a registration sends: the confirmation (or the waiting list) with a signed link to
cancel, a place given from the waiting list, a cancellation (by the person, or by PSG's staff), and
the event postponed or cancelled.

Each is a django-tasks task on the worker's backend (the `webhooks` alias, queued in the database in
production) and carries only the registration's id: the address is read when the email is sent, so
the task queue keeps no personal data, and nothing is sent to someone erased in the meantime.
"""

import enum
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from api.forms.emails import one_line, reader_email_allowed, send_with_retries
from events.registrations import Registration

logger = logging.getLogger("events")

CANCEL_SALT = "events.registration.cancel"


class Notice(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    REMINDER = "reminder"
    CANCELLED = "cancelled"
    CANCELLED_BY_PSG = "cancelled_by_psg"
    EVENT_POSTPONED = "event_postponed"
    EVENT_CANCELLED = "event_cancelled"


# What a reader's own request sends (the address is theirs to type, so any address): these count
# against the mailbox's daily bound. The others follow an editor's change or a cancel link's owner.
READER_CAUSED = frozenset({Notice.CONFIRMED, Notice.WAITLISTED, Notice.REMINDER})


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_id_from(token: str) -> int | None:
    """The registration a cancel link names, or None if the link was not made here (or was altered)."""
    try:
        value = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def cancel_url(registration: Registration) -> str:
    path = reverse("events_cancel_registration", args=[cancel_token(registration)])
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _subject_and_opening(notice: Notice, title: str) -> tuple[str, str]:
    return {
        Notice.CONFIRMED: (f"Your place at {title} is confirmed", f"Your place at {title} is confirmed."),
        Notice.WAITLISTED: (
            f"You are on the waiting list for {title}",
            f"{title} is full, so you are on its waiting list. If a place comes free, it is yours, in "
            "the order people registered, and we will email you.",
        ),
        Notice.PROMOTED: (
            f"A place at {title} is now yours",
            f"A place at {title} has come free and it is now yours: your registration is confirmed.",
        ),
        Notice.REMINDER: (
            f"Your registration for {title}",
            f"This address is already registered for {title}; here are the details again.",
        ),
        Notice.CANCELLED: (
            f"Your registration for {title} is cancelled",
            f"Your registration for {title} is cancelled. Thank you for letting us know.",
        ),
        Notice.CANCELLED_BY_PSG: (
            f"Your registration for {title} is cancelled",
            f"We have cancelled your registration for {title}. If you did not expect this, please "
            "get in touch with us.",
        ),
        Notice.EVENT_POSTPONED: (
            f"{title} is postponed",
            f"We are sorry: {title} is postponed. We will announce the new date; your registration is kept.",
        ),
        Notice.EVENT_CANCELLED: (
            f"{title} is cancelled",
            f"We are sorry: {title} is cancelled and will not take place.",
        ),
    }[notice]


def compose(registration: Registration, notice: Notice) -> tuple[str, str]:
    """The subject and plain-text body of one notice to one registered person."""
    event = registration.page.specific
    subject, opening = _subject_and_opening(notice, event.title)
    # No name: whoever registers types it along with the address, so it could be anyone's words
    # to anyone, sent by PSG's server.
    lines = ["Hello,", "", opening, ""]
    if notice not in {Notice.CANCELLED, Notice.CANCELLED_BY_PSG, Notice.EVENT_CANCELLED}:
        lines.append(f"When: {timezone.localtime(event.starts_at):%A %-d %B %Y, %H:%M} (London time)")
        if event.venue_id:
            lines.append(f"Where: {event.venue}")
        if event.online_url:
            lines.append(f"Online: {event.online_url}")
        lines.append(f"Your registration: {registration.get_status_display()}")
        if registration.status != Registration.Status.CANCELLED:
            lines += ["", "If you cannot come, cancel here so that someone else can have your place:"]
            lines.append(cancel_url(registration))
    lines += ["", f"— {settings.WAGTAIL_SITE_NAME}"]
    return subject, "\n".join(lines) + "\n"


# The worker's backend (TASKS in cms/settings/base.py), with the publish webhooks. A mail server's
# failure is retried with the forms' backoff, FORMS_EMAIL_MAX_ATTEMPTS times in all.
@task(backend="webhooks")
def send_registration_email(registration_id: int, notice: str, attempt: int = 1) -> None:
    registration = Registration.objects.select_related("page").filter(pk=registration_id).first()
    if registration is None:
        # Erased (or expired) since the email was queued: there is no one to write to.
        return
    if attempt == 1 and notice in READER_CAUSED and not reader_email_allowed(registration.email):
        logger.warning(
            "Registration %s: %s email not sent: that mailbox's daily limit", registration_id, notice
        )
        return
    subject, body = compose(registration, Notice(notice))
    send_with_retries(
        # An editor's title never carries a line break into the subject header.
        lambda: send_mail(one_line(subject), body, None, [registration.email]),
        # The id only: log lines keep no address or name.
        f"Registration {registration_id}: {notice} email",
        logger,
        send_registration_email,
        (registration_id, notice),
        attempt,
    )


def send_after_commit(registration: Registration, notice: Notice) -> None:
    """Queues the email once the change that calls for it is committed (and only then)."""
    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, str(notice)))
