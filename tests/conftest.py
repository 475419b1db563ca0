import json

import pytest
from django.core.cache import caches
from django.db import connections
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from api import ratelimit


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary directory, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _serialized_rollback(django_db_serialized_rollback):
    """Every transactional test (live server, real commits) restores the migrated database.

    A transactional test ends with a flush; without this, the tests after it would miss the rows
    migrations create (Wagtail's root page and default locale), and a serialized test after a plain
    one would collide with the content types the flush re-creates. No effect on ordinary tests.
    """


def _is_transactional(item):
    """Whether `item` runs as a TransactionTestCase (pytest-django's own test for it)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the migrated rows are back before an ordinary test runs.

    pytest-django runs transactional tests after all the others, so their flush leaves nothing
    behind to miss. Under `make test`'s workers (pytest-xdist, a file at a time) a worker's next
    file can hold ordinary tests, which run in a transaction of their own and would find the
    database empty: no root page, locale, collection or permissions.
    """
    result = yield
    # Without a next test the session's teardown has run too, test databases gone.
    if _is_transactional(item) and nextitem is not None and not _is_transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents is not None:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def _clear_cache():
    # Every alias: cached answers, and the rate-limit counters of the "state" cache; and what this
    # process remembers of clients over their limit.
    for backend in caches.all():
        backend.clear()
    ratelimit.forget_over_limit()
    yield
    for backend in caches.all():
        backend.clear()
    ratelimit.forget_over_limit()


class GraphQLClient:
    """Speaks GraphQL over HTTP to /graphql/, as a frontend does."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, **headers):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.client.post(
            "/graphql/", data=json.dumps(body), content_type="application/json", **headers
        )

    def __call__(self, query, variables=None):
        """Run a query that must succeed; return its `data`."""
        response = self.post(query, variables)
        payload = response.json()
        assert response.status_code == 200, payload
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def errors(self, query, variables=None):
        """Run a query that must fail; return (status, errors)."""
        response = self.post(query, variables)
        payload = response.json()
        assert payload.get("errors"), payload
        return response.status_code, payload["errors"]


@pytest.fixture
def gql(client):
    return GraphQLClient(client)
