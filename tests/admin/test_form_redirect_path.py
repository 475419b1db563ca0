"""A form's redirect path sends readers to a published page of the site, never to a missing one."""

import pytest
from bs4 import BeautifulSoup

from formpages.models import FormPage
from tests.admin.test_form_pages import form_page_data, question
from tests.factories import FormPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _add(admin_client, home, redirect_path):
    return admin_client.post(
        f"/admin/pages/add/formpages/formpage/{home.id}/",
        form_page_data([question("Email", "email")], redirect_path=redirect_path),
    )


def _warnings(response):
    soup = BeautifulSoup(response.content, "html.parser")
    texts = [item.get_text(" ", strip=True) for item in soup.select(".messages li.warning")]
    return [text for text in texts if text.startswith("Redirect path")]


def test_a_path_no_published_page_has_is_refused_on_its_field(site, admin_client):
    response = _add(admin_client, site[0], "/no-such-page/")
    assert response.status_code == 200
    assert response.context["form"].errors["redirect_path"] == [
        "No published page has the path /no-such-page/: give the path of a published page of the "
        "site (publish it first if it is new), or leave this blank to keep readers on the form's page."
    ]
    assert not FormPage.objects.exists()


def test_a_draft_pages_path_is_refused_until_it_is_published(site, admin_client):
    thanks = StandardPageFactory(parent=site[0], title="Thank you", slug="thank-you", live=False)
    assert "redirect_path" in _add(admin_client, site[0], "/thank-you/").context["form"].errors
    thanks.save_revision().publish()
    assert _add(admin_client, site[0], "/thank-you/").status_code == 302
    assert FormPage.objects.get().redirect_path == "/thank-you/"


@pytest.mark.parametrize("typed", ["/thank-you/", "/thank-you", "/thank-you/?from=newsletter#top"])
def test_a_published_pages_path_is_accepted_with_or_without_its_slash(site, admin_client, typed):
    StandardPageFactory(parent=site[0], title="Thank you", slug="thank-you")
    assert _add(admin_client, site[0], typed).status_code == 302
    assert FormPage.objects.get().redirect_path == typed


def test_a_form_whose_page_was_unpublished_since_still_publishes_and_the_editor_is_warned(site, admin_client):
    thanks = StandardPageFactory(parent=site[0], title="Thank you", slug="thank-you")
    form_page = FormPageFactory(parent=site[0], redirect_path="/thank-you/")
    form_page.save_revision().publish()
    edit_url = f"/admin/pages/{form_page.id}/edit/"
    assert _warnings(admin_client.get(edit_url)) == []

    thanks.unpublish()
    assert _warnings(admin_client.get(edit_url)) == [
        "Redirect path: no published page has the path /thank-you/ any more, so readers who send "
        "this form are taken to a page that does not exist. Give another page's path under "
        "“After the form is sent”, or leave it blank to keep them on the form's page."
    ]
    data = form_page_data([question("Email", "email")], slug="newsletter", redirect_path="/thank-you/")
    assert admin_client.post(edit_url, data).status_code == 302
    form_page.refresh_from_db()
    assert form_page.live and form_page.redirect_path == "/thank-you/"
    # A revision naming it is published too, as the schedule or an approval publishes it.
    form_page.refresh_from_db()
    form_page.title = "Newsletter sign-up, renamed"
    form_page.save_revision().publish()
    # A different path to no page is still refused.
    data = form_page_data([question("Email", "email")], slug="newsletter", redirect_path="/thanks/")
    assert "redirect_path" in admin_client.post(edit_url, data).context["form"].errors
