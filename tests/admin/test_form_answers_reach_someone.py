"""A form whose answers would be emailed to nobody says so where it is built: every answer goes to
PSG's contact address (site settings), and without one nobody at PSG hears of new answers."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Site

from cms.models import SiteSettings
from tests.factories import EventPageFactory, FormPageFactory, JoinPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    # The groups as deployed (with Moderators' permission to change the site settings).
    call_command("setup_workflows", stdout=io.StringIO())


NOBODY = "Nobody at PSG is emailed when readers send this form"


def _warnings(response):
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (item.get_text(" ", strip=True), [link["href"] for link in item.select("a")])
        for item in soup.select(".messages li.warning")
    ]


def _contact_email(address):
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(site=site, defaults={"contact_email": address})
    return site


def test_a_moderator_is_told_on_a_form_page_and_offered_the_settings(site, moderator, client):
    page = FormPageFactory(parent=site[0])
    default_site = _contact_email("")
    client.force_login(moderator)
    settings_url = f"/admin/settings/cms/sitesettings/{default_site.pk}/"
    expected = [
        (
            f"{NOBODY}: Settings → Site settings has no contact email. The answers are still kept "
            "under Forms. Set one so that someone is told. Set the contact email",
            [settings_url],
        )
    ]
    assert _warnings(client.get(f"/admin/pages/{page.id}/edit/")) == expected
    assert _warnings(client.get(f"/admin/pages/add/formpages/formpage/{site[0].id}/")) == expected
    assert client.get(settings_url).status_code == 200


def test_an_editor_is_told_whom_to_ask(site, editor, client):
    page = JoinPageFactory(parent=site[0], slug="join")
    client.force_login(editor)
    [(text, links)] = _warnings(client.get(f"/admin/pages/{page.id}/edit/"))
    assert text.startswith(NOBODY) and text.endswith("Ask a Moderator to set one so that someone is told.")
    assert links == []


def test_no_warning_once_someone_gets_the_answers(site, admin_client, settings):
    page = FormPageFactory(parent=site[0])
    _contact_email("office@psg.example")
    assert _warnings(admin_client.get(f"/admin/pages/{page.id}/edit/")) == []
    _contact_email("")
    settings.FORMS_NOTIFY_EMAIL = "forms@psg.example"
    assert _warnings(admin_client.get(f"/admin/pages/{page.id}/edit/")) == []


def test_pages_whose_answers_are_not_emailed_to_psg_are_not_warned_about(site, admin_client):
    # An event's registrations send their own emails, to the people registering.
    event = EventPageFactory(parent=site[2])
    _contact_email("")
    assert _warnings(admin_client.get(f"/admin/pages/{event.id}/edit/")) == []


def test_the_contact_email_says_what_it_receives(site, admin_client):
    default_site = _contact_email("")
    content = admin_client.get(f"/admin/settings/cms/sitesettings/{default_site.pk}/").content.decode()
    assert "where every form&#x27;s answers are emailed as they arrive" in content
    assert "the answers go to the server&#x27;s fallback address if the site&#x27;s administrator" in content
