"""Delivery: retries with backoff, the log of every attempt, the endpoints that receive, the secret.

Tasks run where they are queued here (ImmediateBackend, as in `make run`): a retry follows its
failed attempt at once. test_worker.py and test_restart.py run them with the database backend.
"""

import time

from tests.factories import NewsPageFactory
from tests.webhooks.receiver import SECRET
from tests.webhooks.test_events import _draft_news
from webhooks.models import WebhookDelivery, WebhookEndpoint


def test_5xx_is_retried_with_the_same_id_and_every_attempt_is_logged(site, webhooks, commit):
    _, news_index, _ = site
    page = _draft_news(news_index)
    webhooks.statuses = [500, 500, 200]

    with commit():
        page.save_revision().publish()

    assert webhooks.types() == ["page.published"] * 3  # each attempt verifies
    assert len({r["headers"]["webhook-id"] for r in webhooks.requests}) == 1
    rows = WebhookDelivery.objects.order_by("attempt")
    assert [(r.attempt, r.status_code, r.succeeded) for r in rows] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert rows[0].response_excerpt == "try again"


def test_backoff_doubles(settings):
    from webhooks.tasks import backoff

    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 1.0
    assert [backoff(attempt) for attempt in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_other_4xx_is_not_retried_and_429_is(site, webhooks, commit):
    _, news_index, _ = site
    webhooks.statuses = [404]
    with commit():
        _draft_news(news_index).save_revision().publish()
    assert list(WebhookDelivery.objects.values_list("status_code", flat=True)) == [404]

    webhooks.statuses = [429, 200]
    with commit():
        NewsPageFactory(parent=news_index, live=False).save_revision().publish()
    assert sorted(WebhookDelivery.objects.values_list("status_code", flat=True)) == [200, 404, 429]


def test_connection_errors_are_retried_up_to_the_limit(site, webhooks, settings, commit):
    _, news_index, _ = site
    settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 3
    webhooks.close()  # nothing listens there any more

    with commit():
        _draft_news(news_index).save_revision().publish()

    rows = WebhookDelivery.objects.order_by("attempt")
    assert [r.attempt for r in rows] == [1, 2, 3]
    assert all(r.status_code is None and "ConnectionError" in r.error for r in rows)


def test_admin_endpoints_receive_too_unless_inactive(site, settings, receiver, commit):
    settings.PUBLISH_WEBHOOK_URLS = []
    settings.PUBLISH_WEBHOOK_SECRET = SECRET
    WebhookEndpoint.objects.create(url=receiver.url, description="Production site")
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/never", active=False)
    _, news_index, _ = site

    with commit():
        _draft_news(news_index).save_revision().publish()

    assert receiver.types() == ["page.published"]
    assert set(WebhookDelivery.objects.values_list("endpoint_url", flat=True)) == {receiver.url}


def test_no_secret_no_delivery(site, webhooks, settings, commit):
    settings.PUBLISH_WEBHOOK_SECRET = ""
    _, news_index, _ = site
    with commit():
        _draft_news(news_index).save_revision().publish()
    assert webhooks.requests == []


def test_the_immediate_backend_retries_without_waiting_the_backoff(site, webhooks, settings, commit):
    """It cannot defer a task, and the editor's request must not sleep: the retry follows at once."""
    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 60
    webhooks.statuses = [503, 200]
    _, news_index, _ = site
    page = _draft_news(news_index)

    started = time.monotonic()
    with commit():
        page.save_revision().publish()

    assert time.monotonic() - started < 10
    rows = WebhookDelivery.objects.order_by("attempt")
    assert [(r.attempt, r.status_code, r.succeeded) for r in rows] == [(1, 503, False), (2, 200, True)]
