"""An upcoming event taking registrations on the site, and people registering for it."""

import datetime
import io
import re

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.registering import register
from events.registrations import default_questions
from tests.admin.conftest import event_form
from tests.factories import EventPageFactory, make_site

CANCEL_LINK = re.compile(r"http://testserver(/registrations/cancel/[^/\s]+/)")


def site_with_roles():
    call_command("setup_workflows", stdout=io.StringIO())
    return make_site()


def event_taking_registrations(events_index, capacity=1, waiting_list=True, **fields):
    starts = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=30))
    defaults = {
        "title": "Mining and water: a public meeting",
        "slug": "mining-and-water",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "registration_form": True,
        "registration_capacity": capacity,
        "registration_waiting_list": waiting_list,
    }
    event = EventPageFactory(parent=events_index, **{**defaults, **fields})
    for question in default_questions():
        question.page = event
        question.save()
    return event


def answers(name, email):
    return {"name": name, "email": email, "consent": True}


def registered(event, name, email, capture):
    """`name` registers as if through the form; the emails queued on commit are sent."""
    with capture(execute=True):
        outcome = register(event, answers(name, email))
    assert outcome.ok, outcome.message
    return outcome.registration


def cancel_path(email):
    """The cancel link of the last email sent to `email`."""
    body = [message.body for message in mail.outbox if message.to == [email]][-1]
    return CANCEL_LINK.search(body).group(1)


def user_in(django_user_model, username, *group_names):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-for-tests")
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def edit_form(event, **overrides):
    """The event's edit form as the admin posts it to publish, its questions kept."""
    local = timezone.localtime(event.starts_at)
    form = event_form(
        title=event.title,
        slug=event.slug,
        starts_at=f"{local:%d/%m/%Y %H:%M}",
        ends_at="",
        registration_form="on",
        registration_capacity=str(event.registration_capacity or ""),
        registration_waiting_list="on",
        **overrides,
    )
    questions = list(event.form_fields.all())
    form.update(
        {
            "form_fields-TOTAL_FORMS": str(len(questions)),
            "form_fields-INITIAL_FORMS": str(len(questions)),
            "form_fields-MIN_NUM_FORMS": "0",
            "form_fields-MAX_NUM_FORMS": "1000",
        }
    )
    for index, question in enumerate(questions):
        form.update(
            {
                f"form_fields-{index}-id": str(question.pk),
                f"form_fields-{index}-ORDER": str(index + 1),
                f"form_fields-{index}-label": question.label,
                f"form_fields-{index}-field_type": question.field_type,
                f"form_fields-{index}-required": "on",
                f"form_fields-{index}-choices": "",
                f"form_fields-{index}-default_value": "",
                f"form_fields-{index}-help_text": question.help_text,
            }
        )
    return form
