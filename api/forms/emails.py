"""Emails about a form submission: PSG is told of it, and the reader gets the confirmation.

Each email is a django-tasks task on the "webhooks" backend (queued in the database, run by
`manage.py db_worker --backend webhooks`), queued once the submission is committed, so the request
never waits for a mail server; a failed send is queued again later, FORMS_EMAIL_MAX_ATTEMPTS times
in all. A task carries only the submission's id and reads the answers when it runs, so the queue
holds no personal data and an answer erased meanwhile is never sent. Logs name ids, never answers.
"""

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.forms.models import FormSubmission

from cms.models import SiteSettings

logger = logging.getLogger("api.forms")

NOTIFICATION = "notification"
CONFIRMATION = "confirmation"


# Characters a mailbox's display name, a quoted local part, a route or an address list is written
# with: a reader's address is one plain `local@domain`, so no mail software reads it as two.
_NOT_IN_A_PLAIN_ADDRESS = frozenset('"<>,;:\\()[]')


def plain_address(value: str) -> bool:
    """Whether `value` (an address Django's EmailField accepted) is one plain `local@domain`,
    with a dotted domain name: what a confirmation is sent to and a notification replies to."""
    if value.count("@") != 1 or any(c in _NOT_IN_A_PLAIN_ADDRESS or c.isspace() for c in value):
        return False
    local, domain = value.split("@")
    return bool(local) and "." in domain.strip(".")


def one_line(text: str) -> str:
    """`text` for a header: an editor's title never carries a line break into one."""
    return " ".join(text.split())


def mailbox_key(address: str) -> str:
    """One key per mailbox: the forms of one address that reach the same inbox (case, a `+tag`,
    dots in the local part, as Gmail and others deliver them) count as one, and the key holds no
    address."""
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0].replace(".", "")
    return "reader-emails:" + hashlib.sha256(f"{local}@{domain}".encode()).hexdigest()


def reader_email_allowed(address: str) -> bool:
    """Count one email a reader's request causes to `address`, and say whether it is within
    FORMS_READER_EMAILS_PER_DAY (0: no bound).

    Whoever fills a form or registers chooses the address, so without this bound anyone could make
    PSG's server email a stranger as often as they can send requests, from as many clients as they
    have: the client rate limits bound a client, this bounds what one mailbox receives.
    """
    limit: int = settings.FORMS_READER_EMAILS_PER_DAY
    if limit <= 0:
        return True
    key = mailbox_key(address)
    store = caches["state"]
    store.add(key, 0, timeout=86_400)
    try:
        count: int = store.incr(key)
    except ValueError:  # the day ended between add() and incr()
        store.add(key, 1, timeout=86_400)
        count = 1
    return count <= limit


def queue_emails(submission_id: int, message: str = "") -> None:
    """Queue the notification to PSG and the reader's confirmation of one stored submission;
    `message` is what the confirmation says (the page's confirmation message if empty)."""
    send_form_email.enqueue(submission_id, NOTIFICATION)
    send_form_email.enqueue(submission_id, CONFIRMATION, message=message)


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, 4, 8… × the base)."""
    return float(settings.FORMS_EMAIL_BACKOFF_SECONDS * 2 ** (attempt - 1))


# The "webhooks" backend (TASKS in cms/settings/base.py): queued in the database in production.
@task(backend="webhooks")
def send_form_email(submission_id: int, kind: str, attempt: int = 1, message: str = "") -> None:
    """Send one email about submission `submission_id`; on a mail server's failure, queue the next attempt."""
    submission = FormSubmission.objects.filter(pk=submission_id).select_related("page").first()
    if submission is None:
        return  # erased since it was queued
    email = compose(kind, submission, message)
    if email is None:
        return
    if kind == CONFIRMATION and attempt == 1 and not reader_email_allowed(email.to[0]):
        logger.warning(
            "Form confirmation for submission %s not sent: that mailbox's daily limit", submission_id
        )
        return
    what = f"Form {kind} email for submission {submission_id}"
    args = (submission_id, kind)
    send_with_retries(email.send, what, logger, send_form_email, args, attempt, message=message)


def send_with_retries(
    send: Callable[[], object],
    what: str,
    log: logging.Logger,
    task: Any,
    args: tuple[Any, ...],
    attempt: int,
    **kwargs: Any,
) -> None:
    """Call `send`, attempt number `attempt` of an email task; on a mail server's failure queue
    `task(*args, attempt + 1, **kwargs)` to run after the backoff, FORMS_EMAIL_MAX_ATTEMPTS
    attempts in all. `what` names the email in log lines: ids, never an address or an answer."""
    try:
        send()
    except (smtplib.SMTPException, OSError) as exc:
        if attempt >= settings.FORMS_EMAIL_MAX_ATTEMPTS:
            log.error("%s not sent after %d attempts (%s)", what, attempt, type(exc).__name__)
            return
        if task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=backoff(attempt)))
        log.warning("%s failed (%s): attempt %d queued", what, type(exc).__name__, attempt + 1)
        task.enqueue(*args, attempt + 1, **kwargs)
        return
    log.info("%s sent", what)


def compose(kind: str, submission: FormSubmission, message: str = "") -> EmailMessage | None:
    """The email of `kind` about `submission`, or None when there is nobody to send it to; a
    confirmation says `message`, or the page's confirmation message."""
    page = submission.page.specific
    answers = _lines(page.get_form_fields(), submission.form_data)
    reader = _reader_address(page, submission.form_data)
    if kind == NOTIFICATION:
        recipients = notification_recipients(page)
        if not recipients:
            return None
        listing = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "wagtailforms:list_submissions", args=[page.pk]
        )
        body = "\n".join(
            [f"A form was sent on “{page.title}”.", "", *answers, "", f"All submissions: {listing}"]
        )
        return EmailMessage(
            subject=one_line(f"New submission: {page.title}"),
            body=body,
            to=recipients,
            reply_to=[reader] if reader else None,
        )
    if kind == CONFIRMATION:
        if not reader or not getattr(page, "email_confirmation", False):
            return None
        fields = page.get_form_fields()
        picked = [f for f in fields if f.field_type in REPEATED_IN_CONFIRMATION]
        lines = [message or page.confirmation_message, ""]
        if picked:
            lines += ["What you chose:", "", *_lines(picked, submission.form_data), ""]
        if len(picked) < len(fields):
            lines.append("What you wrote reached us; it is not repeated in this email.")
        return EmailMessage(subject=one_line(f"Thank you: {page.title}"), body="\n".join(lines), to=[reader])
    raise ValueError(f"Unknown form email {kind!r}.")


def notification_recipients(page: Any) -> list[str]:
    """PSG's contact address from the site's settings, else FORMS_NOTIFY_EMAIL."""
    # Read, never created: SiteSettings.for_site() would add a row, a content change (webhooks,
    # cache purges) caused by a reader.
    site = page.get_site()
    found = SiteSettings.objects.filter(site=site).values_list("contact_email", flat=True).first()
    address = found or settings.FORMS_NOTIFY_EMAIL
    return [address] if address else []


def _reader_address(page: Any, data: dict[str, Any]) -> str | None:
    name = page.email_field_name()
    value = data.get(name) if name else None
    return value if isinstance(value, str) and value and plain_address(value) else None


# The questions whose answers a confirmation repeats: one of the editors' choices, a tick, a
# number or a date. Anything typed as text is left out, because the person who types it also
# types the address the confirmation goes to: repeated, it would be their words to a stranger,
# sent by PSG's server.
REPEATED_IN_CONFIRMATION = frozenset(
    {"checkbox", "checkboxes", "dropdown", "multiselect", "radio", "number", "date", "datetime"}
)


def _lines(fields: Iterable[Any], data: dict[str, Any]) -> Iterable[str]:
    for field in fields:
        value = data.get(field.name)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is None:
            value = ""
        yield f"{field.label}: {value}"
