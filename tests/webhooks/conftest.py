import pytest

from tests.factories import make_site
from tests.webhooks.receiver import SECRET, Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def webhooks(settings, receiver):
    """Webhooks on, to the receiver; tasks run at once (cms.settings.test), retries without a wait."""
    settings.PUBLISH_WEBHOOK_URLS = [receiver.url]
    settings.PUBLISH_WEBHOOK_SECRET = SECRET
    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 0.01
    return receiver


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what happens after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
