"""The page forms: tabs, help text on every field, the summary's limit, validation on the right field."""

import decimal

import pytest
from wagtail.admin.panels import FieldPanel, InlinePanel, PanelGroup
from wagtail.test.utils.form_data import inline_formset

from events.models import EventIndexPage, EventPage, TicketPrice
from formpages.models import FormPage
from home.models import HomePage, JoinPage, StandardPage
from news.models import NewsIndexPage, NewsPage
from tests.admin.conftest import event_form
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

PAGE_MODELS = [HomePage, StandardPage, JoinPage, NewsIndexPage, NewsPage, EventIndexPage, EventPage, FormPage]


def _field_panels(panel, model):
    """(model, FieldPanel) for every field the panel tree shows, inline panels' rows included."""
    for child in getattr(panel, "children", []):
        if isinstance(child, InlinePanel):
            related = model._meta.get_field(child.relation_name).related_model
            for row_panel in child.panel_definitions:
                yield from _field_panels(row_panel.bind_to_model(related), related)
        elif isinstance(child, FieldPanel):
            yield model, child
        elif isinstance(child, PanelGroup):
            yield from _field_panels(child, model)


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_field_of_every_page_form_has_help_text(model):
    missing = [
        f"{owner.__name__}.{panel.field_name}"
        for owner, panel in _field_panels(model.get_edit_handler(), model)
        if not (panel.help_text or owner._meta.get_field(panel.field_name).help_text)
    ]
    assert missing == []


@pytest.mark.parametrize(
    "model, tabs",
    [
        (EventPage, ["Content", "Event details", "Promote", "Settings"]),
        (NewsPage, ["Content", "Promote", "Settings"]),
        (StandardPage, ["Content", "Promote", "Settings"]),
        (JoinPage, ["Content", "Application form", "Promote", "Settings"]),
        (FormPage, ["Content", "Promote", "Settings"]),
    ],
    ids=lambda v: getattr(v, "__name__", "tabs"),
)
def test_page_forms_are_grouped_in_tabs(model, tabs):
    assert [tab.heading for tab in model.get_edit_handler().children] == tabs


def test_event_edit_form_shows_the_tabs_and_the_summary_counter(site, admin_client):
    event = EventPageFactory(parent=site[2], title="Annual conference")
    response = admin_client.get(f"/admin/pages/{event.id}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    # (Settings holds only scheduling, which Wagtail shows in the Status side panel, so no tab.)
    for tab_id in ("content", "event_details", "promote"):
        assert f'id="tab-label-{tab_id}"' in content
    assert 'data-max-characters="300"' in content
    assert "cms/character-count.js" in content
    assert "at most 300 characters" in content


def _post_event(admin_client, site, **overrides):
    url = f"/admin/pages/add/events/eventpage/{site[2].id}/"
    return admin_client.post(url, event_form(**overrides))


def test_a_negative_price_is_shown_on_its_row_in_the_admin(site, admin_client):
    prices = inline_formset(
        [
            {"label": "Members", "amount": "8.00", "currency": "GBP"},
            {"label": "Refund", "amount": "-1.00", "currency": "GBP"},
        ]
    )
    response = _post_event(admin_client, site, prices=prices)
    assert response.status_code == 200
    rows = response.context["form"].formsets["prices"].forms
    assert rows[0].errors == {}
    assert "cannot be negative" in rows[1].errors["amount"][0]
    assert "cannot be negative" in response.content.decode()
    assert not EventPage.objects.exists()
    assert not TicketPrice.objects.filter(amount__lt=decimal.Decimal(0)).exists()


def test_registration_deadline_error_is_on_the_deadline_field(site, admin_client):
    response = _post_event(admin_client, site, registration_deadline="06/11/2030 09:00")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["registration_deadline"]
    assert "before the event starts" in errors["registration_deadline"][0]


def test_required_registration_error_is_on_the_email_field(site, admin_client):
    response = _post_event(admin_client, site, registration_required="on")
    assert response.status_code == 200
    assert "email address or a URL" in response.context["form"].errors["registration_email"][0]


def test_a_301_character_summary_is_refused_on_the_summary(site, admin_client):
    response = _post_event(admin_client, site, summary="x" * 301)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["summary"]


def test_only_one_join_page_per_home_page(site):
    from tests.factories import JoinPageFactory

    home = site[0]
    assert JoinPage.can_create_at(home)
    JoinPageFactory(parent=home)
    assert not JoinPage.can_create_at(home)
