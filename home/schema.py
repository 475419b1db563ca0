"""GraphQL for the home app: the `home` root field and the join page's structured parts."""

import graphene

from api.graphql.enums import described
from api.graphql.page_types import page_type
from api.serving import public_link
from api.visibility import public_pages
from cms.sanitise import safe_url
from home.models import HomePage, MembershipOption


class JoinReasonType(graphene.ObjectType):
    """One reason to join."""

    class Meta:
        name = "JoinReason"

    text = graphene.String(required=True, description="The reason, one sentence.")


MembershipPeriod = graphene.Enum(
    "MembershipPeriod",
    [(value.upper(), value) for value, _label in MembershipOption.PERIODS],
    description=described(
        "How often a membership is paid: YEAR, MONTH, LIFE (once, for life) or ONCE.",
        {
            "YEAR": "Paid every year.",
            "MONTH": "Paid every month.",
            "LIFE": "Paid once, for membership for life.",
            "ONCE": "A one-off payment.",
        },
    ),
)


class MembershipOptionType(graphene.ObjectType):
    """A kind of membership with its price."""

    class Meta:
        name = "MembershipOption"

    name = graphene.String(required=True, description="E.g. “Individual”.")
    amount = graphene.Decimal(required=True, description='Price as a decimal string, e.g. "25.00".')
    currency = graphene.String(required=True, description="ISO 4217 currency code.")
    period = graphene.Field(MembershipPeriod, required=True, description="How often it is paid.")
    description = graphene.String(description="What it includes.")

    @staticmethod
    def resolve_description(option, info):
        return option.description or None


class CallToActionType(graphene.ObjectType):
    """A button with where it goes."""

    class Meta:
        name = "CallToAction"

    label = graphene.String(required=True, description="Button text.")
    url = graphene.String(description="Web address, if any.")
    email = graphene.String(description="Email address, if any.")
    href = graphene.String(required=True, description="What to link to: the URL, else a `mailto:`.")

    @staticmethod
    def resolve_label(cta, info):
        return cta["label"]

    @staticmethod
    def resolve_url(cta, info):
        return public_link(cta["url"])

    @staticmethod
    def resolve_email(cta, info):
        return cta["email"]

    @staticmethod
    def resolve_href(cta, info):
        mailto = safe_url(f"mailto:{cta['email']}") if cta["email"] else None
        # An unsafe stored URL is left out; with no address either, there is nothing to link to.
        return public_link(cta["url"]) or mailto or ""


class HomeQuery(graphene.ObjectType):
    home = graphene.Field(
        lambda: page_type(HomePage),
        description="The home page with its featured pages, latest news and upcoming events.",
    )

    @staticmethod
    def resolve_home(root, info):
        return public_pages(HomePage).first()
