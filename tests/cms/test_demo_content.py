"""`manage.py load_demo_content` builds PSG's site from the seed, and a second run changes nothing."""

import datetime
import decimal
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.demo import load_data, paragraph_html, truncate_at_sentence
from cms.demo.images import render_png
from cms.models import NavigationMenu, SiteSettings
from events.models import EventIndexPage, EventPage, ProgrammeItem, TicketPrice, Venue
from formpages.models import FormPage, FormPageField
from home.models import HomePage, JoinFormField, JoinPage, MembershipOption, StandardPage
from news.models import NewsIndexPage, NewsPage, Topic
from tests.factories import make_site

LONDON = zoneinfo.ZoneInfo("Europe/London")

# The seed's news items: title exactly as in the snapshot, and its date.
SEED_NEWS = {
    "Bolivia and Peru: change of tone?": datetime.date(2016, 11, 6),
    "Loreto oil spills: conflict continues.": datetime.date(2016, 10, 29),
    "Bill to end private police contracts in mines": datetime.date(2016, 10, 29),
    "New law should help identification of violence victims": datetime.date(2016, 10, 29),
    "Peru Support Group's Annual Conference on 5 November": datetime.date(2016, 10, 20),
    "Violence at Las Bambas, again": datetime.date(2016, 10, 16),
    "Opposition to TPP": datetime.date(2016, 10, 16),
    "Forest restoration reported": datetime.date(2016, 10, 16),
    "Education minister under siege": datetime.date(2016, 10, 10),
    "Abuse of influence uncovered": datetime.date(2016, 10, 10),
}

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="class")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    """The demo content loaded once for a class of read-only tests, rolled back after the class.

    Each test still runs in its own transaction (the `db` fixture), nested inside this one.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


def counts():
    return {
        "pages": Page.objects.count(),
        "news": NewsPage.objects.count(),
        "events": EventPage.objects.count(),
        "standing": StandardPage.objects.count(),
        "join": JoinPage.objects.count(),
        "form_pages": FormPage.objects.count(),
        "form_fields": JoinFormField.objects.count() + FormPageField.objects.count(),
        "home": HomePage.objects.count(),
        "news_index": NewsIndexPage.objects.count(),
        "events_index": EventIndexPage.objects.count(),
        "topics": Topic.objects.count(),
        "venues": Venue.objects.count(),
        "prices": TicketPrice.objects.count(),
        "programme": ProgrammeItem.objects.count(),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "settings": SiteSettings.objects.count(),
        "menus": NavigationMenu.objects.count(),
        "menu_items": sum(menu.items.count() for menu in NavigationMenu.objects.all()),
        "featured": sum(home.featured_pages.count() for home in HomePage.objects.all()),
    }


# --- The page tree and the site -------------------------------------------------------------------


def test_replaces_the_welcome_page_with_the_home_page():
    root = Page.get_first_root_node()
    welcome = root.get_children().get(slug="home")
    assert welcome.specific_class is Page  # what Wagtail's migrations created
    default_site_id = Site.objects.get(is_default_site=True).pk

    load()

    assert not Page.objects.filter(pk=welcome.pk).exists()
    site = Site.objects.get(is_default_site=True)
    assert site.pk == default_site_id  # the same row, repointed
    assert (site.hostname, site.port) == ("localhost", 80)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Peru Support Group"
    assert home.depth == 2
    assert home.hero_heading
    assert "The Peru Support Group exists to promote social inclusion" in home.hero_text
    assert home.live and home.live_revision is not None


class TestLoadedDemo:
    """Read-only checks of the loaded content. It is loaded once for the class, and rolled back after it."""

    @pytest.fixture(autouse=True)
    def _media_root(self, settings, demo_media):
        # Replaces conftest's fixture of the same name: the images live where the class loaded them.
        settings.MEDIA_ROOT = demo_media

    @pytest.fixture(autouse=True)
    def _demo(self, loaded_demo):
        pass

    def test_counts(self):
        c = counts()
        assert c["news"] == 10
        assert c["events"] == 1
        assert c["standing"] == 3
        assert c["join"] == 1
        assert c["home"] == 1
        assert c["news_index"] == c["events_index"] == 1
        assert c["topics"] == 4
        assert c["venues"] == 1
        assert c["prices"] == 2
        assert c["programme"] == 2
        assert c["images"] == 3
        assert c["form_pages"] == 1
        assert c["form_fields"] == 5 + 3
        assert c["pages"] == 1 + 19  # the tree's root, then home and everything under it
        assert c["menu_items"] == 6
        assert c["featured"] == 2

    def test_section_pages_sit_under_the_home_page(self):
        home = Site.objects.get(is_default_site=True).root_page
        children = {page.slug: page.specific_class for page in home.get_children()}
        assert children == {
            "news": NewsIndexPage,
            "events": EventIndexPage,
            "psg-aims": StandardPage,
            "historical-overview": StandardPage,
            "human-rights": StandardPage,
            "join": JoinPage,
            "newsletter": FormPage,
        }
        news_index = home.get_children().get(slug="news")
        assert NewsPage.objects.child_of(news_index).count() == 10
        events_index = home.get_children().get(slug="events")
        assert EventPage.objects.child_of(events_index).count() == 1

    def test_everything_is_published(self):
        pages = Page.objects.filter(depth__gt=1).specific()
        assert len(pages) == 19
        for page in pages:
            assert page.live, page
            assert page.live_revision_id is not None, page
            assert page.first_published_at is not None, page
            assert not page.has_unpublished_changes, page

    def test_the_join_page_and_the_newsletter_carry_their_forms(self):
        join = JoinPage.objects.get()
        assert [f.field_type for f in join.get_form_fields()] == [
            "singleline",
            "email",
            "multiline",
            "checkboxes",
            "checkbox",
        ]
        assert join.live_revision.as_object().form_fields.count() == 5
        newsletter = FormPage.objects.get(slug="newsletter")
        assert newsletter.live and newsletter.submit_label == "Sign up"
        assert [f.label for f in newsletter.get_form_fields()][0] == "Email address"

    # --- News -------------------------------------------------------------------------------------

    def test_news_titles_and_dates_are_the_seeds(self):
        loaded = {page.title: page.publication_date for page in NewsPage.objects.all()}
        assert loaded == SEED_NEWS

    def test_news_slugs_come_from_the_titles(self):
        assert NewsPage.objects.get(slug="loreto-oil-spills-conflict-continues").title == (
            "Loreto oil spills: conflict continues."
        )
        assert NewsPage.objects.filter(slug="peru-support-groups-annual-conference-on-5-november").exists()

    def test_news_texts_keep_typographic_quotes_and_accents(self):
        victims = NewsPage.objects.get(title="New law should help identification of violence victims")
        assert "just ‘disappeared’." in victims.body[0].value.source
        tpp = NewsPage.objects.get(title="Opposition to TPP")
        assert tpp.summary == (
            "Rallies took place in Lima on 12 October in protest at the Peruvian government’s support for "
            "the Trans-Pacific Partnership (TPP), and further protests are scheduled to coincide with the "
            "presence of US President Barrack Obama in Lima for the APEC summit next month."
        )
        assert "Marañon" in NewsPage.objects.get(slug="loreto-oil-spills-conflict-continues").summary

    def test_news_summaries_fit_and_cut_at_a_sentence(self):
        for page in NewsPage.objects.all():
            assert 0 < len(page.summary) <= 300, page.title
            assert page.summary.endswith((".", "?", "!")), page.summary
        bambas = NewsPage.objects.get(title="Violence at Las Bambas, again")
        text = bambas.body[0].value.source
        assert len(text) > 300
        assert bambas.summary == (
            "In spite of the round-table meeting (mesa de diálogo) between communities, local officials, "
            "MMG and ministerial delegations earlier this month, violence has once again broken out at "
            "Las Bambas."
        )

    def test_news_bodies_are_one_paragraph_with_the_text(self):
        bolivia = NewsPage.objects.get(title="Bolivia and Peru: change of tone?")
        assert [block.block_type for block in bolivia.body] == ["paragraph"]
        assert bolivia.body[0].value.source == (
            "<p>The visit by President Kuczynski to Bolivia, where he met with Evo Morales in Sucre, marks "
            "an improvement in relations between the two countries. Despite their ideological differences, "
            "Kuczynski and Morales pledged to mend fences.</p>"
        )

    def test_topics(self):
        assert sorted(Topic.objects.values_list("name", "slug")) == [
            ("Environment", "environment"),
            ("Human rights", "human-rights"),
            ("Mining", "mining"),
            ("Politics", "politics"),
        ]

        def names(title):
            return sorted(NewsPage.objects.get(title=title).topics.names())

        assert names("Violence at Las Bambas, again") == ["Human rights", "Mining"]
        assert names("Opposition to TPP") == ["Politics"]
        assert names("Forest restoration reported") == ["Environment", "Mining"]
        assert names("Loreto oil spills: conflict continues.") == ["Environment", "Human rights"]
        assert names("New law should help identification of violence victims") == ["Human rights"]
        for page in NewsPage.objects.all():
            assert page.topics.exists(), page.title
            # Topics are part of the published revision, not only of the live row.
            assert sorted(page.live_revision.as_object().topics.names()) == sorted(page.topics.names())

    def test_conference_news_item_links_to_the_event(self):
        event = EventPage.objects.get()
        item = NewsPage.objects.get(title="Peru Support Group's Annual Conference on 5 November")
        assert item.publication_date == datetime.date(2016, 10, 20)
        assert len(item.summary) <= 300
        assert "Human Rights and Development under PPK" in item.summary
        block_types = [block.block_type for block in item.body]
        assert block_types[-1] == "button"
        paragraphs = [block.value.source for block in item.body if block.block_type == "paragraph"]
        assert (
            f'<a linktype="page" id="{event.pk}">Human Rights and Development under PPK</a>' in paragraphs[0]
        )
        assert any("29 – 31 Tavistock Square, London WC1H 9QU" in html for html in paragraphs)
        assert any("Members and Concessions £8, non-members £13" in html for html in paragraphs)
        button = item.body[-1].value
        assert button["label"] == "Agenda and registration"
        assert button["page"].specific == event
        assert not button["url"] and not button["email"]
        # No invented registration email: the snapshot has none.
        assert "@" not in "".join(paragraphs)

    # --- Events -----------------------------------------------------------------------------------

    def test_the_annual_conference(self):
        event = EventPage.objects.get()
        assert event.title == "Human Rights and Development under PPK"
        assert event.slug == "annual-conference-2016"
        assert event.starts_at == datetime.datetime(2016, 11, 5, 10, 30, tzinfo=LONDON)
        assert event.starts_at == datetime.datetime(
            2016, 11, 5, 10, 30, tzinfo=datetime.UTC
        )  # GMT in November
        assert event.ends_at is None
        assert event.status == EventPage.Status.SCHEDULED
        assert event.summary and len(event.summary) <= 300
        assert event.registration_required is False
        assert event.registration_note == "Please register your attendance in advance if possible."
        assert event.registration_email == "" and event.registration_url == ""

    def test_the_conference_venue(self):
        venue = EventPage.objects.get().venue
        assert venue == Venue.objects.get()
        assert venue.name == "UCL Global Governance Institute"
        assert venue.address_line_1 in ("29 – 31 Tavistock Square", "29–31 Tavistock Square")
        assert (venue.city, venue.postcode, venue.country) == ("London", "WC1H 9QU", "United Kingdom")

    def test_the_conference_prices_and_programme(self):
        event = EventPage.objects.get()
        prices = [(p.label, p.amount, p.currency) for p in event.prices.all()]
        assert prices == [
            ("Members and concessions", decimal.Decimal("8.00"), "GBP"),
            ("Non-members", decimal.Decimal("13.00"), "GBP"),
        ]
        programme = [(item.time, item.title) for item in event.programme.all()]
        assert programme == [
            (datetime.time(10, 30), "Registration and coffee"),
            (datetime.time(11, 0), "Conference starts"),
        ]

    # --- Standing pages, join page, home ----------------------------------------------------------

    def test_standing_pages(self):
        pages = {page.title: page for page in StandardPage.objects.all()}
        assert set(pages) == {"PSG Aims", "Historical Overview", "Human Rights"}
        aims = pages["PSG Aims"]
        full_text = aims.body[0].value.source
        assert [block.block_type for block in aims.body] == ["paragraph"]
        assert full_text.startswith("<p>The Peru Support Group exists to promote social inclusion")
        assert full_text.endswith("within the context of sustainable development.</p>")
        # The text is 524 characters: the summary keeps the whole sentences that fit in 300.
        assert aims.summary == (
            "The Peru Support Group exists to promote social inclusion, sustainable development and the "
            "observance of human rights in Peru. To that end the PSG highlights shortcomings in "
            "observance of established norms, whether international or local in nature, in its research, "
            "advocacy and publications."
        )
        for page in pages.values():
            assert len(page.summary) <= 300
            assert page.body[0].value.source.startswith(f"<p>{page.summary}")
        assert "nearly 70,000 people died" in pages["Historical Overview"].summary
        assert "war's end" in pages["Human Rights"].body[0].value.source

    def test_join_page(self):
        join = JoinPage.objects.get()
        assert join.title == "Why join the PSG?"
        assert join.slug == "join"
        assert [reason.text for reason in join.reasons.all()] == [
            "Keep up to date with latest news and developments in Peru",
            "Learn about key issues of poverty, development and human rights in Peru",
            "Support the work of the Peru Support Group",
        ]
        assert join.cta_label == "Become a member"
        assert join.cta_url == "https://www.perusupportgroup.org.uk/"
        assert join.cta_email == ""
        assert MembershipOption.objects.count() == 0  # the snapshot gives no prices

    def test_home_page_features_aims_and_join(self):
        home = HomePage.objects.get()
        assert [item.page.title for item in home.featured_pages.all()] == ["PSG Aims", "Why join the PSG?"]
        assert home.live_revision.as_object().featured_pages.count() == 2  # published, not only saved

    # --- Images -----------------------------------------------------------------------------------

    def test_images_are_generated_into_the_library(self, settings):
        images = list(get_image_model().objects.order_by("title"))
        assert len(images) == 3
        for image in images:
            assert (image.width, image.height) == (1200, 800)
            assert image.title and image.description
            assert image.default_alt_text == image.description
            assert image.file_size and image.file_hash
            assert image.file.storage.exists(image.file.name)
            assert str(image.file.path).startswith(str(settings.MEDIA_ROOT))
        assert sum(image.has_focal_point() for image in images) >= 1

    def test_images_are_used_by_the_home_page_and_news(self):
        home = HomePage.objects.get()
        assert home.hero_image is not None
        with_images = NewsPage.objects.filter(main_image__isnull=False)
        assert with_images.count() >= 2
        assert NewsPage.objects.get(title="Forest restoration reported").main_image is not None

    # --- Settings and navigation ------------------------------------------------------------------

    def test_site_settings(self):
        settings = SiteSettings.objects.get(site=Site.objects.get(is_default_site=True))
        assert settings.organisation_name == "Peru Support Group"
        assert settings.contact_email == ""
        assert settings.footer_text.startswith("Peru Support Group")

    def test_main_menu(self):
        menu = NavigationMenu.objects.get(handle="main")
        assert menu.name == "Main menu"
        items = list(menu.items.all())
        assert [item.page.title for item in items] == [
            "News",
            "Events",
            "PSG Aims",
            "Historical Overview",
            "Human Rights",
            "Why join the PSG?",
        ]
        assert all(not item.url for item in items)


# --- Idempotency and safety -----------------------------------------------------------------------


def test_second_run_changes_nothing():
    first_output = load()
    before = counts()
    latest_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
    image_files = sorted(get_image_model().objects.values_list("file", flat=True))

    second_output = load()

    assert counts() == before
    assert Revision.objects.order_by("-pk").values_list("pk", flat=True).first() == latest_revision
    assert sorted(get_image_model().objects.values_list("file", flat=True)) == image_files
    assert "created" in first_output
    assert "created" not in second_output
    assert "Pages: 19 already present" in second_output


def test_keeps_an_existing_home_page_and_its_sections():
    home, news_index, events_index = make_site()

    load()

    assert HomePage.objects.get().pk == home.pk
    assert NewsIndexPage.objects.get().pk == news_index.pk
    assert EventIndexPage.objects.get().pk == events_index.pk
    assert NewsPage.objects.child_of(news_index).count() == 10
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_keeps_a_welcome_page_that_has_children():
    welcome = Page.get_first_root_node().get_children().get(slug="home")
    welcome.add_child(instance=Page(title="Something an editor made", slug="keep-me"))

    load()

    assert Page.objects.filter(pk=welcome.pk).exists()
    home = HomePage.objects.get()
    assert home.slug != "home"
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_a_page_of_the_wrong_type_stops_the_load_and_nothing_is_saved():
    home, _news_index, _events_index = make_site()
    home.add_child(instance=Page(title="PSG Aims", slug="psg-aims"))
    before = counts()

    with pytest.raises(CommandError, match="psg-aims"):
        load()

    assert counts() == before


# --- Helpers --------------------------------------------------------------------------------------


def test_image_generation_is_deterministic():
    spec = load_data()["images"][0]
    assert render_png(spec) == render_png(spec)
    assert render_png(spec).startswith(b"\x89PNG")


def test_truncate_at_sentence():
    assert truncate_at_sentence("Short. Text.") == "Short. Text."
    assert truncate_at_sentence("One two. Three four five.", limit=12) == "One two."
    assert truncate_at_sentence("A very long first sentence indeed.", limit=12) == "A very long…"


def test_paragraph_html_escapes_markup_but_not_quotes():
    assert paragraph_html(["Peru's <b>", "line two"]) == "<p>Peru's &lt;b&gt;<br/>line two</p>"
    assert paragraph_html(["x"], 'linktype="page" id="3"') == '<p><a linktype="page" id="3">x</a></p>'
