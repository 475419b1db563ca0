"""Factories for the page tree and snippets; a test builds only what it needs."""

import datetime
import decimal
import zoneinfo

import factory
import wagtail_factories
from wagtail.models import Page, Site

from api.api_keys import new_key
from api.models import ApiKey
from events.models import EventIndexPage, EventPage, ProgrammeItem, TicketPrice, Venue
from formpages.models import FormPage, FormPageField
from home.models import HomePage, JoinFormField, JoinPage, JoinReason, MembershipOption, StandardPage
from news.models import NewsIndexPage, NewsPage, Topic

LONDON = zoneinfo.ZoneInfo("Europe/London")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Peru Support Group"
    hero_heading = "Human rights, development and justice in Peru"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standing page {n}")
    summary = "A standing page."

    class Meta:
        model = StandardPage


class JoinPageFactory(wagtail_factories.PageFactory):
    title = "Why join the PSG?"
    cta_label = "Become a member"
    cta_url = "https://example.org/join"

    class Meta:
        model = JoinPage


class JoinReasonFactory(factory.django.DjangoModelFactory):
    text = factory.Sequence(lambda n: f"Reason {n}")

    class Meta:
        model = JoinReason


class MembershipOptionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Option {n}")
    amount = decimal.Decimal("25.00")
    currency = "GBP"
    period = "year"

    class Meta:
        model = MembershipOption


class JoinFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = JoinFormField


class FormPageFactory(wagtail_factories.PageFactory):
    title = "Newsletter"
    slug = "newsletter"
    submit_label = "Sign up"
    confirmation_message = "Thank you for signing up."

    class Meta:
        model = FormPage


class FormPageFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = FormPageField


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"News item {n}")
    publication_date = factory.Sequence(lambda n: datetime.date(2016, 10, 1) + datetime.timedelta(days=n))
    summary = factory.LazyAttribute(lambda o: f"Summary of {o.title}.")

    class Meta:
        model = NewsPage


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"

    class Meta:
        model = EventIndexPage


class VenueFactory(factory.django.DjangoModelFactory):
    name = "UCL Global Governance Institute"
    address_line_1 = "29–31 Tavistock Square"
    city = "London"
    postcode = "WC1H 9QU"

    class Meta:
        model = Venue


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Event {n}")
    summary = "An event."
    starts_at = datetime.datetime(2030, 11, 5, 10, 30, tzinfo=LONDON)
    ends_at = datetime.datetime(2030, 11, 5, 17, 0, tzinfo=LONDON)

    class Meta:
        model = EventPage


class TicketPriceFactory(factory.django.DjangoModelFactory):
    label = "Non-members"
    amount = decimal.Decimal("13.00")
    currency = "GBP"

    class Meta:
        model = TicketPrice


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    time = datetime.time(10, 30)
    title = "Registration and coffee"

    class Meta:
        model = ProgrammeItem


def make_site():
    """A home page as the default site's root, with the news and events sections under it."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    home = HomePageFactory(parent=root, slug="psg-home")
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="PSG")
    news_index = NewsIndexPageFactory(parent=home)
    events_index = EventIndexPageFactory(parent=home)
    return home, news_index, events_index


def make_api_key(name="Public site", rate_limit=None):
    """A key as the admin makes one: (its row, the key its frontend sends)."""
    key, prefix, digest = new_key()
    return ApiKey.objects.create(name=name, prefix=prefix, digest=digest, rate_limit=rate_limit), key
