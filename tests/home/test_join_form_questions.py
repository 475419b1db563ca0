"""The join page's application form: its membership question comes from the membership options."""

import pytest
from django.core.exceptions import ValidationError

from home.models import JoinFormField
from tests.factories import JoinFormFieldFactory, JoinPageFactory, MembershipOptionFactory, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def join_page():
    home, _news_index, _events_index = make_site()
    return JoinPageFactory(parent=home)


def test_without_membership_options_there_is_no_membership_question(join_page):
    JoinFormFieldFactory(page=join_page, label="Email", field_type="email")
    assert [field.name for field in join_page.get_form_fields()] == ["email"]


def test_each_option_is_a_choice_with_its_price_and_period(join_page):
    MembershipOptionFactory(page=join_page, name="Individual", amount="25.00", currency="GBP", period="year")
    MembershipOptionFactory(
        page=join_page, name="Friends, family", amount="5.50", currency="EUR", period="month"
    )
    MembershipOptionFactory(page=join_page, name="Life", amount="300.00", currency="PEN", period="life")
    (question,) = join_page.get_form_fields()
    assert (question.name, question.field_type, question.required) == ("membership", "radio", True)
    # One choice per line: an option whose name holds a comma stays one choice.
    assert question.choice_list() == [
        "Individual: £25.00 per year",
        "Friends, family: €5.50 per month",
        "Life: 300.00 PEN for life",
    ]


def test_an_empty_membership_question_leaves_it_out(join_page):
    MembershipOptionFactory(page=join_page)
    join_page.membership_question = ""
    assert join_page.get_form_fields() == []
    assert join_page.public_form is None


def test_a_question_cannot_take_the_membership_questions_name(join_page):
    with pytest.raises(ValidationError) as caught:
        JoinFormField(page=join_page, label="Membership", field_type="singleline").clean()
    assert "membership question asks this already" in caught.value.message_dict["label"][0]
