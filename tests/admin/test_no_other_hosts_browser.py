"""The admin works offline: its pages ask no host but the CMS itself for anything (no Gravatar avatars,
no update check), checked by recording every request Chromium makes on the admin's busiest screens."""

from urllib.parse import urlsplit

import pytest

from news.models import NewsPage
from tests.admin.conftest import signed_in
from tests.browser import needs_chromium

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_dashboard_of_a_user_with_an_email_address_links_no_other_host(admin_client, admin_user):
    assert admin_user.email
    content = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in content
    assert 'data-controller="w-upgrade' not in content  # the script that asks releases.wagtail.org


@pytest.mark.parametrize("username", ["ada", "edna"])  # an administrator (sees the update check), an Editor
def test_no_request_leaves_for_another_host(chromium, live_server, demo_site, settings, username):
    settings.FRONTEND_URL = ""  # previews rendered by the CMS itself, as without a frontend
    base = live_server.url.rstrip("/")
    page = signed_in(chromium, base, username)
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{base}/admin/")
    page.wait_for_load_state("networkidle")
    news = NewsPage.objects.exclude(main_image=None).first()
    page.goto(f"{base}/admin/pages/{news.id}/edit/")
    page.wait_for_load_state("networkidle")
    # The preview panel, then the image chooser.
    page.click("[data-side-panel-toggle='preview']")
    expect(page.locator("iframe[title='Preview']").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    chooser = page.locator("#id_main_image-chooser")
    chooser.get_by_role("button", name="Actions").click()
    chooser.get_by_role("button", name="Change image").click()
    expect(page.locator(".modal").get_by_role("heading", name="Choose an image")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.context.close()

    own = urlsplit(base).netloc
    assert any("/admin/images/chooser/" in url for url in requested)
    assert [
        url for url in requested if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != own
    ] == []
