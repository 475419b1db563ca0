"""GraphiQL on the development server works offline: its scripts and styles come from the CMS itself.

Headless Chromium opens /graphql/ with every other host blocked, then runs a query and opens the
docs explorer (which reads the schema by the standard introspection query).
"""

from urllib.parse import urlsplit

import pytest

from tests.admin.conftest import chromium  # noqa: F401 (the module's browser)
from tests.browser import needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUERY = "query Topics { newsTopics { name } }"


def test_graphiql_renders_and_runs_a_query_with_no_other_host(chromium, live_server, settings):  # noqa: F811
    settings.GRAPHIQL_ENABLED = True
    base = live_server.url.rstrip("/")
    own = urlsplit(base).netloc
    context = chromium.new_context()
    elsewhere: list[str] = []

    def only_this_server(route):
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != own:
            elsewhere.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_this_server)
    # GraphiQL opens with the query it kept from last time.
    context.add_init_script(f"localStorage.setItem('graphiql:query', {QUERY!r});")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base}/graphql/")
        expect(page.locator(".graphiql-container")).to_be_visible(timeout=20_000)
        page.locator(".graphiql-execute-button").click()
        result = page.locator(".graphiql-response")
        expect(result).to_contain_text('"newsTopics": []', timeout=20_000)
        # The docs explorer, built from the introspection query GraphiQL sent on load.
        page.get_by_label("Show Documentation Explorer").click()
        explorer = page.locator(".graphiql-doc-explorer")
        expect(explorer).to_contain_text("Query", timeout=20_000)
        explorer.get_by_text("Query", exact=True).first.click()
        expect(explorer).to_contain_text("newsTopics", timeout=20_000)
    finally:
        context.close()
    assert elsewhere == []
    assert errors == []
