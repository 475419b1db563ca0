"""Fixtures for the widget's browser tests: the CMS as pytest-django's live server with the demo
content, partner sites on other origins under a strict Content Security Policy, and Chromium.

Each module using them sets `pytestmark` with `needs_chromium` and a transactional database (the
live server's thread must see the content).
"""

import functools
import http.server
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser import launch_chromium
from tests.news.partner_browser import WATCH_VIOLATIONS, PartnerHandler, strict_csp


@pytest.fixture
def demo_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def cms(live_server, demo_content, settings):
    # The CMS's own address, as a deployment sets it: image URLs name it, whatever host was called.
    settings.WAGTAILADMIN_BASE_URL = live_server.url.rstrip("/")
    return live_server.url.rstrip("/")


@pytest.fixture
def partner_site(cms, tmp_path):
    """`serve(files)`: a partner site on its own origin serving `files` ({name: text}) under a
    strict CSP; returns its address."""
    servers = []

    def serve(files):
        root = tmp_path / f"partner-{len(servers)}"
        root.mkdir()
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        handler = type("Handler", (PartnerHandler,), {"csp": strict_csp(cms)})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=root))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    try:
        yield serve
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM runs here only in fixtures.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.add_init_script(WATCH_VIOLATIONS)
            page.console = []
            page.on("console", lambda message: page.console.append(message.text))
            page.warnings = []
            page.on("console", lambda message: _keep_warning(page, message))
            page.requests = []
            page.on("request", lambda request: page.requests.append(request))
            yield page
        finally:
            browser.close()


def _keep_warning(page, message):
    if message.type == "warning":
        page.warnings.append(message.text)
