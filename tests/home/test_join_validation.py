"""A join page's call to action must go somewhere: a URL or an email address."""

import decimal

import pytest
from django.core.exceptions import ValidationError

from home.models import MembershipOption
from tests.factories import JoinPageFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def join_page():
    home, _news_index, _events_index = make_site()
    return JoinPageFactory(parent=home)


def test_join_page_without_cta_url_or_email_is_refused_on_cta_url(join_page):
    join_page.cta_url = ""
    join_page.cta_email = ""
    with pytest.raises(ValidationError) as caught:
        join_page.full_clean()
    errors = caught.value.message_dict
    assert list(errors) == ["cta_url"]
    assert "URL or an email address" in errors["cta_url"][0]


@pytest.mark.parametrize(
    "url, email",
    [("https://example.org/join", ""), ("", "members@example.org"), ("https://example.org/j", "a@b.org")],
)
def test_join_page_with_a_url_or_an_email_is_fine(join_page, url, email):
    join_page.cta_url = url
    join_page.cta_email = email
    join_page.full_clean()


def test_membership_option_price_cannot_be_negative(join_page):
    option = MembershipOption(page=join_page, name="Individual", amount=decimal.Decimal("-5"), currency="GBP")
    with pytest.raises(ValidationError) as caught:
        option.full_clean()
    assert "cannot be negative" in caught.value.message_dict["amount"][0]


def test_membership_option_currency_must_be_an_iso_code(join_page):
    option = MembershipOption(page=join_page, name="Individual", amount=decimal.Decimal("25"), currency="gbp")
    with pytest.raises(ValidationError) as caught:
        option.full_clean()
    assert list(caught.value.message_dict) == ["currency"]
