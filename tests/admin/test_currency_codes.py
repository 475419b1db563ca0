"""A price's currency must be an ISO 4217 code in use, on events' ticket prices (through the admin)
and the join page's membership options alike; the message names the field and gives examples."""

import decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset

from events.models import EventPage
from home.models import MembershipOption
from tests.admin.conftest import event_form
from tests.factories import JoinPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_url():
    return f"/admin/pages/add/events/eventpage/{make_site()[2].pk}/"


def _price(currency):
    return inline_formset([{"label": "Non-members", "amount": "13.00", "currency": currency}])


@pytest.mark.parametrize(
    ("currency", "message"),
    [
        ("ABC", "Currency: “ABC” is not an ISO 4217 currency code. Use the three capital letters of one, "),
        ("XTS", "Currency: “XTS” is not an ISO 4217 currency code."),  # ISO's code for testing
        ("HRK", "Currency: “HRK” is not an ISO 4217 currency code."),  # withdrawn (Croatia: EUR)
        ("£", "Currency: “£” is not an ISO 4217 currency code."),
        ("gbp", "Currency: ISO 4217 codes are in capitals: write GBP."),
    ],
)
def test_a_ticket_price_in_no_currency_is_refused(admin_client, add_url, currency, message):
    response = admin_client.post(add_url, event_form(prices=_price(currency)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventPage.objects.exists()


def test_the_message_gives_examples(admin_client, add_url):
    page = admin_client.post(add_url, event_form(prices=_price("ABC"))).content.decode()
    assert "e.g. GBP, EUR, USD or PEN." in page


@pytest.mark.parametrize("currency", ["GBP", "PEN", "EUR", "USD", "XOF"])
def test_a_ticket_price_in_a_currency_is_saved(admin_client, add_url, currency):
    response = admin_client.post(add_url, event_form(prices=_price(currency)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EventPage.objects.get().prices.get().currency == currency


@pytest.mark.parametrize("currency", ["ABC", "gbp"])
def test_a_membership_option_is_checked_the_same_way(currency):
    join_page = JoinPageFactory(parent=make_site()[0])
    option = MembershipOption(
        page=join_page, name="Individual", amount=decimal.Decimal("25"), currency=currency
    )
    with pytest.raises(ValidationError) as caught:
        option.full_clean()
    assert caught.value.message_dict["currency"][0].startswith("Currency: ")
    MembershipOption(
        page=join_page, name="Individual", amount=decimal.Decimal("25"), currency="PEN"
    ).full_clean()
