"""What the clock alone changes (an event ending leaves the upcoming listings) is sent when the
scheduler (`manage.py run_scheduler`) next runs, and purged from the cache tier."""

import datetime

from django.core.management import call_command
from freezegun import freeze_time
from wagtail.contrib.frontend_cache.backends import BaseBackend

from tests.factories import EventPageFactory

START = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    def purge_batch(self, urls):
        PURGED.extend(urls)


def run_scheduler(commit):
    with commit():
        call_command("run_scheduler", iterations=1, interval=0)


def test_an_event_ending_is_sent_on_the_next_run(site, webhooks, settings, commit):
    _, _, events_index = site
    PURGED.clear()
    settings.WAGTAILFRONTENDCACHE = {
        "frontend": {"BACKEND": f"{__name__}.RecordingBackend", "HOSTNAMES": ["frontend.test"]}
    }
    EventPageFactory(
        parent=events_index,
        slug="conference",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=6),
    )
    EventPageFactory(
        parent=events_index,
        slug="next-year",
        starts_at=START + datetime.timedelta(days=365),
        ends_at=START + datetime.timedelta(days=365, hours=6),
    )
    with freeze_time(START + datetime.timedelta(hours=1)):
        run_scheduler(commit)  # the first run only notes the time
    with freeze_time(START + datetime.timedelta(hours=5)):
        run_scheduler(commit)  # nothing ended meanwhile
    assert webhooks.requests == []

    with freeze_time(START + datetime.timedelta(hours=7)):
        run_scheduler(commit)
        [payload] = webhooks.verified()  # signed at the frozen time
    assert payload["type"] == "schedule.reached"
    assert payload["data"]["since"] == (START + datetime.timedelta(hours=5)).isoformat()
    assert payload["data"]["until"] == (START + datetime.timedelta(hours=7)).isoformat()
    assert payload["data"]["paths"] == ["/events/conference/", "/events/", "/"]
    assert {
        "https://frontend.test/events/conference/",
        "https://frontend.test/events/",
        "https://frontend.test/",
    } <= set(PURGED)

    with freeze_time(START + datetime.timedelta(hours=8)):
        run_scheduler(commit)
    assert len(webhooks.requests) == 1


def test_an_event_with_no_end_leaves_at_londons_midnight(site, webhooks, commit):
    _, _, events_index = site
    EventPageFactory(parent=events_index, slug="vigil", starts_at=START, ends_at=None)
    with freeze_time(START + datetime.timedelta(hours=12)):
        run_scheduler(commit)
    with freeze_time(START + datetime.timedelta(hours=13, minutes=59)):  # 23:59 in London
        run_scheduler(commit)
    assert webhooks.requests == []
    with freeze_time(START + datetime.timedelta(hours=14, minutes=1)):
        run_scheduler(commit)
        [payload] = webhooks.verified()
    assert payload["data"]["paths"] == ["/events/vigil/", "/events/", "/"]
