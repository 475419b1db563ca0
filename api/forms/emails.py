"""Emails about a form submission: PSG is told of it, and the reader gets the confirmation.

Each email is a django-tasks task on the "webhooks" backend (queued in the database, run by
`manage.py db_worker --backend webhooks`), queued once the submission is committed, so the request
never waits for a mail server; a failed send is queued again later, FORMS_EMAIL_MAX_ATTEMPTS times
in all. A task carries only the submission's id and reads the answers when it runs, so the queue
holds no personal data and an answer erased meanwhile is never sent. Logs name ids, never answers.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
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
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as exc:
        if attempt >= settings.FORMS_EMAIL_MAX_ATTEMPTS:
            logger.error(
                "Form %s email for submission %s not sent after %d attempts (%s)",
                kind,
                submission_id,
                attempt,
                type(exc).__name__,
            )
            return
        retry = send_form_email
        if send_form_email.get_backend().supports_defer:
            retry = send_form_email.using(
                run_after=timezone.now() + datetime.timedelta(seconds=backoff(attempt))
            )
        logger.warning(
            "Form %s email for submission %s failed (%s): attempt %d queued",
            kind,
            submission_id,
            type(exc).__name__,
            attempt + 1,
        )
        retry.enqueue(submission_id, kind, attempt + 1, message=message)
        return
    logger.info("Form %s email for submission %s sent", kind, submission_id)


def compose(kind: str, submission: FormSubmission, message: str = "") -> EmailMessage | None:
    """The email of `kind` about `submission`, or None when there is nobody to send it to; a
    confirmation says `message`, or the page's confirmation message."""
    page = submission.page.specific
    answers = _answer_lines(page, submission.form_data)
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
        body = "\n".join([message or page.confirmation_message, "", "What you sent us:", "", *answers])
        return EmailMessage(subject=one_line(f"Thank you: {page.title}"), body=body, to=[reader])
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


def _answer_lines(page: Any, data: dict[str, Any]) -> Iterable[str]:
    for field in page.get_form_fields():
        value = data.get(field.name)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is None:
            value = ""
        yield f"{field.label}: {value}"
