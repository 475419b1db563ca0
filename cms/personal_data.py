"""Personal data people send through forms: who may see it, and each kind the apps keep, for the
retention period, a person's export and a person's erasure (docs/privacy.md).

An app that keeps personal data registers a function returning its `PersonalDataKind` under the
`register_personal_data` hook; `manage.py purge_expired_submissions`, `export_personal_data`,
`erase_personal_data` and the admin's Personal data page go through every registered kind.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.contrib.forms.models import FormSubmission

PERSONAL_DATA_HOOK = "register_personal_data"

# Only the "Membership and events" group is given it (cms/roles.py); superusers have every permission.
VIEW_PERMISSION = "wagtailforms.view_formsubmission"
# Erasing a person, deleting answers, cancelling a registration: the same group's, given apart.
DELETE_PERMISSION = "wagtailforms.delete_formsubmission"


def may_see_personal_data(user: Any) -> bool:
    """Whether `user` may see what people sent: form submissions and event registrations."""
    return bool(user.is_active and user.has_perm(VIEW_PERMISSION))


def may_change_personal_data(user: Any) -> bool:
    """Whether `user` may also erase, delete or cancel what people sent."""
    return may_see_personal_data(user) and bool(user.has_perm(DELETE_PERMISSION))


@dataclass(frozen=True)
class PersonalDataKind:
    """One kind of personal data an app keeps, and how to export, erase and expire it."""

    name: str
    # A person's records, by email address (compared case-insensitively), as JSON-ready dicts.
    export: Callable[[str], list[dict[str, Any]]]
    # Deletes a person's records; returns how many.
    erase: Callable[[str], int]
    # Deletes what the retention period has ended for, given the cut-off (now minus the period).
    purge: Callable[[datetime.datetime], int]


def registered_kinds() -> list[PersonalDataKind]:
    return [make_kind() for make_kind in hooks.get_hooks(PERSONAL_DATA_HOOK)]


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Anything sent (or, for an event, held) before this moment has been kept long enough."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.FORMS_RETENTION_DAYS)


def same_address(value: object, email: str) -> bool:
    return isinstance(value, str) and value.strip().casefold() == email.strip().casefold()


def sent_by(submissions: QuerySet[Any], email: str) -> list[Any]:
    """The submissions with an answer equal to `email`, whatever the form calls that field."""
    # The database narrows by text; the answers themselves are then compared whole.
    candidates = submissions.filter(form_data__icontains=email.strip())
    return [
        submission
        for submission in candidates
        if any(same_address(value, email) for value in submission.form_data.values())
    ]


def submission_record(submission: Any) -> dict[str, Any]:
    """A submission as its sender would read it: where, when and what they answered."""
    return {
        "page": submission.page.title,
        "submitted_at": timezone.localtime(submission.submit_time).isoformat(),
        "answers": dict(submission.form_data),
    }


def form_submissions() -> PersonalDataKind:
    """What Wagtail's form pages store (each page type's own submission model registers itself)."""

    def export(email: str) -> list[dict[str, Any]]:
        queryset = FormSubmission.objects.select_related("page").order_by("submit_time")
        return [submission_record(submission) for submission in sent_by(queryset, email)]

    def erase(email: str) -> int:
        ids = [submission.pk for submission in sent_by(FormSubmission.objects.all(), email)]
        return int(FormSubmission.objects.filter(pk__in=ids).delete()[0])

    def purge(cutoff: datetime.datetime) -> int:
        return int(FormSubmission.objects.filter(submit_time__lt=cutoff).delete()[0])

    return PersonalDataKind(name="form submissions", export=export, erase=erase, purge=purge)


def export_person(email: str) -> dict[str, Any]:
    """Everything kept about the person with this address, by kind."""
    return {
        "email": email,
        "exported_at": timezone.localtime().isoformat(),
        **{kind.name: kind.export(email) for kind in registered_kinds()},
    }


def erase_person(email: str) -> dict[str, int]:
    """Deletes everything kept about the person with this address; how many records of each kind."""
    return {kind.name: kind.erase(email) for kind in registered_kinds()}


def purge_expired(now: datetime.datetime | None = None) -> dict[str, int]:
    cutoff = retention_cutoff(now)
    return {kind.name: kind.purge(cutoff) for kind in registered_kinds()}


def summary(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> str:
    pairs = counts.items() if isinstance(counts, Mapping) else counts
    return ", ".join(f"{count} {name}" for name, count in pairs)
