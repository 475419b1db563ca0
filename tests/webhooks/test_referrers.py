"""A change names every live page that refers to what changed (Wagtail's reference index): the news
item linking to an unpublished event, the pages using an edited image, a menu naming a page."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import MenuItem, NavigationMenu
from cms.paths import site_root_paths
from cms.revalidation import media_paths, page_paths, referrers
from tests.factories import EventPageFactory, NewsPageFactory, StandardPageFactory
from tests.testapp.models import Promo, StreamPage

FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"]
CONFERENCE_NEWS = "/news/peru-support-groups-annual-conference-on-5-november/"

pytestmark = pytest.mark.django_db


def _linking(parent, slug, target, **kwargs):
    """A news item whose body links to `target` in rich text and with a button."""
    body = [
        ("paragraph", RichText(f'<p>See <a linktype="page" id="{target.id}">the event</a>.</p>')),
        ("button", {"label": "Register", "page": target, "url": ""}),
    ]
    return NewsPageFactory(parent=parent, slug=slug, body=body, **kwargs)


def test_unpublishing_the_demo_conference_names_the_news_item_linking_to_it(admin_client, webhooks, commit):
    call_command("load_demo_content", stdout=io.StringIO())
    conference = Page.objects.get(slug="annual-conference-2016")
    webhooks.requests.clear()

    with commit():
        response = admin_client.post(f"/admin/pages/{conference.id}/unpublish/", {})
    assert response.status_code == 302

    [payload] = webhooks.verified()
    assert payload["type"] == "page.unpublished"
    assert payload["data"]["paths"] == [
        "/events/annual-conference-2016/",
        "/events/",
        "/",
        CONFERENCE_NEWS,
        "/sitemap.xml",
    ]
    assert payload["data"]["scope"] == "pages"


def test_only_live_public_referrers_are_named(site, webhooks, commit):
    home, news_index, events_index = site
    event = EventPageFactory(parent=events_index, slug="conference")
    _linking(news_index, "live-link", event)
    _linking(news_index, "draft-link", event, live=False)
    private = _linking(news_index, "members-link", event)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    hidden_section = StandardPageFactory(parent=home, slug="archive", live=False)
    _linking(hidden_section, "archived-link", event)
    past = timezone.now() - datetime.timedelta(days=1)
    _linking(news_index, "expired-link", event, expire_at=past)
    expired_section = StandardPageFactory(parent=home, slug="campaign-2015", expire_at=past)
    _linking(expired_section, "campaign-link", event)
    webhooks.requests.clear()

    with commit():
        event.unpublish()

    [payload] = webhooks.verified()
    assert payload["data"]["paths"] == [
        "/events/conference/",
        "/events/",
        "/",
        "/news/live-link/",
        "/sitemap.xml",
    ]


def test_deleting_and_moving_a_page_name_its_referrers(site, webhooks, commit):
    home, news_index, events_index = site
    about = StandardPageFactory(parent=home, slug="about")
    history = StandardPageFactory(parent=about, slug="history")
    _linking(news_index, "links-to-history", history)
    who = StandardPageFactory(parent=home, slug="who-we-are")
    webhooks.requests.clear()

    with commit():
        about.move(who, pos="last-child")
    with commit():
        Page.objects.get(pk=history.pk).delete()

    moved, deleted = webhooks.verified()
    assert moved["type"] == "page.moved"
    assert "/news/links-to-history/" in moved["data"]["paths"]
    assert deleted["type"] == "page.deleted"
    assert deleted["data"]["paths"] == [
        "/who-we-are/about/history/",
        "/who-we-are/about/",
        "/",
        "/news/links-to-history/",
        "/sitemap.xml",
    ]


def test_a_page_in_a_menu_changes_every_page(site, webhooks, commit):
    home, _, _ = site
    about = StandardPageFactory(parent=home, slug="about")
    menu = NavigationMenu.objects.create(name="Main", handle="main")
    MenuItem.objects.create(menu=menu, page=about, label="")
    menu.save()  # the reference index reads the menu's items from its own save
    webhooks.requests.clear()

    with commit():
        about.title = "About PSG"
        about.save_revision().publish()

    [payload] = webhooks.verified()
    assert payload["type"] == "page.published"
    assert payload["data"]["scope"] == "site"
    assert payload["data"]["paths"] == ["/about/", "/", "/sitemap.xml"]


def test_editing_an_image_names_the_pages_using_it(admin_client, site, webhooks, commit):
    home, news_index, _ = site
    image = get_image_model().objects.create(
        title="Protest", description="Protesters", file=get_test_image_file()
    )
    NewsPageFactory(parent=news_index, slug="with-photo", main_image=image)
    StandardPageFactory(parent=home, slug="gallery", body=[("image", {"image": image, "caption": ""})])
    NewsPageFactory(parent=news_index, slug="draft-with-photo", main_image=image, live=False)
    unused = get_image_model().objects.create(title="Road", description="A road", file=get_test_image_file())
    webhooks.requests.clear()

    with commit():
        response = admin_client.post(
            f"/admin/images/{image.id}/",
            {
                "title": "Protest",
                "description": "Protesters in Lima",
                "collection": image.collection_id,
                "tags": "",
            },
        )
        assert response.status_code == 302
        unused.delete()

    [payload] = webhooks.verified()
    assert payload["type"] == "image.changed"
    assert (payload["data"]["model"], payload["data"]["id"]) == ("wagtailimages.Image", image.id)
    # Each page, the listing showing its card and, for news, the feeds; then home.
    assert payload["data"]["paths"] == ["/gallery/", "/", "/news/with-photo/", "/news/", *FEEDS]


def test_deleting_an_image_names_the_pages_that_used_it(site, webhooks, commit):
    _, news_index, _ = site
    image = get_image_model().objects.create(
        title="Protest", description="Protesters", file=get_test_image_file()
    )
    NewsPageFactory(parent=news_index, slug="with-photo", main_image=image)
    webhooks.requests.clear()

    with commit():
        image.delete()

    [payload] = webhooks.verified()
    assert payload["type"] == "image.changed"
    assert "/news/with-photo/" in payload["data"]["paths"]


def test_making_a_page_private_names_its_subtree_and_referrers(admin_client, site, webhooks, commit):
    home, news_index, _ = site
    members = StandardPageFactory(parent=home, slug="members")
    StandardPageFactory(parent=members, slug="minutes")
    _linking(news_index, "links-to-members", members)
    webhooks.requests.clear()

    with commit():
        response = admin_client.post(
            f"/admin/pages/{members.id}/privacy/",
            {"restriction_type": PageViewRestriction.LOGIN, "password": "", "groups": []},
        )
    assert response.status_code == 200

    [payload] = webhooks.verified()
    assert payload["type"] == "page.privacy_changed"
    assert payload["data"]["paths"] == [
        "/members/",
        "/members/minutes/",
        "/",
        "/news/links-to-members/",
        "/sitemap.xml",
    ]


def test_finding_referrers_costs_the_same_for_one_or_thirty(site):
    _, news_index, events_index = site
    event = EventPageFactory(parent=events_index, slug="conference")
    image = get_image_model().objects.create(title="Road", description="A road", file=get_test_image_file())
    _linking(news_index, "first", event, main_image=image)

    def measure():
        fresh = Page.objects.get(pk=event.pk).specific  # nothing cached on it (its parent)
        site_root_paths()  # read once per content generation, whatever the change
        with CaptureQueriesContext(connection) as found:
            pages = referrers([event]).pages
        with CaptureQueriesContext(connection) as page_event:
            page_paths(fresh)
        with CaptureQueriesContext(connection) as image_event:
            image_pages = media_paths([image])
        return pages, image_pages, len(found), len(page_event), len(image_event)

    pages, image_pages, *one = measure()
    assert [url_path for url_path, _ in pages] == ["/psg-home/news/first/"]
    assert "/news/first/" in image_pages.paths
    for number in range(29):
        _linking(news_index, f"more-{number}", event, main_image=image)
    pages, image_pages, *thirty = measure()
    assert len(pages) == 30 and len(image_pages.paths) > 30
    assert thirty == one
    menu = NavigationMenu.objects.create(name="Main", handle="main")
    MenuItem.objects.create(menu=menu, page=event, label="")
    found = referrers([event])
    assert len(found.pages) == 30 and found.site_wide


def test_a_document_edit_and_a_collection_made_private_name_the_pages_using_them(
    admin_client, site, webhooks, commit
):
    home, _, _ = site
    reports = Collection.get_first_root_node().add_child(name="Reports")
    document = get_document_model().objects.create(
        title="Annual report",
        file=ContentFile(b"%PDF-1.4 report", name="annual-report.pdf"),
        collection=reports,
    )
    StandardPageFactory(parent=home, slug="reports", body=[("document", {"document": document, "label": ""})])
    webhooks.requests.clear()

    with commit():
        response = admin_client.post(
            f"/admin/documents/edit/{document.id}/",
            {"title": "Annual report 2026", "collection": reports.id, "tags": ""},
        )
        assert response.status_code == 302
    with commit():
        response = admin_client.post(
            f"/admin/collections/{reports.id}/privacy/",
            {"restriction_type": CollectionViewRestriction.LOGIN, "password": "", "groups": []},
        )
        assert response.status_code == 200

    edited, private = webhooks.verified()
    assert (edited["type"], edited["data"]["model"]) == ("document.changed", "wagtaildocs.Document")
    assert edited["data"]["paths"] == ["/reports/", "/"]
    assert (private["type"], private["data"]["model"]) == ("media.privacy_changed", "wagtailcore.Collection")
    assert private["data"]["paths"] == ["/reports/", "/"]


def test_a_page_shown_through_a_snippet_is_named_with_the_pages_showing_the_snippet(site, webhooks, commit):
    """Two steps: a promo snippet points at the event, and a page shows the promo."""
    home, _, events_index = site
    event = EventPageFactory(parent=events_index, slug="conference")
    promo = Promo.objects.create(title="Come to the conference", page=event)
    showing = StreamPage(title="Campaigns", slug="campaigns", promo=promo)
    home.add_child(instance=showing)
    showing.save_revision().publish()
    webhooks.requests.clear()

    with commit():
        event.unpublish()
    with commit():
        promo.title = "Join us"
        promo.save()

    unpublished, snippet = webhooks.verified()
    assert unpublished["data"]["paths"] == [
        "/events/conference/",
        "/events/",
        "/",
        "/campaigns/",
        "/sitemap.xml",
    ]
    assert unpublished["data"]["scope"] == "pages"
    assert (snippet["type"], snippet["data"]["model"]) == ("snippet.changed", "testapp.Promo")
    assert snippet["data"]["paths"] == ["/", "/campaigns/"]


def _news_form(page, body_html, *, publish):
    form = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "publication_date": "2026-11-20",
            "topics": "",
            "summary": "A statement.",
            "main_image": "",
            "body": streamfield([("paragraph", rich_text(body_html))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
        }
    )
    if publish:
        form["action-publish"] = "action-publish"
    return form


def test_a_link_published_in_the_admin_is_known_to_the_next_change_and_a_drafted_one_is_not(
    admin_client, site, webhooks, commit
):
    _, news_index, events_index = site
    event = EventPageFactory(parent=events_index, slug="conference")
    published = NewsPageFactory(parent=news_index, slug="published-link", title="Published link")
    drafted = NewsPageFactory(parent=news_index, slug="drafted-link", title="Drafted link")
    link = f'<p>See <a linktype="page" id="{event.id}">the conference</a>.</p>'
    with commit():
        response = admin_client.post(
            f"/admin/pages/{published.id}/edit/", _news_form(published, link, publish=True)
        )
        assert response.status_code == 302
        response = admin_client.post(
            f"/admin/pages/{drafted.id}/edit/", _news_form(drafted, link, publish=False)
        )
        assert response.status_code == 302
    webhooks.requests.clear()

    with commit():
        assert admin_client.post(f"/admin/pages/{event.id}/unpublish/", {}).status_code == 302

    [payload] = webhooks.verified()
    # The draft's link is not live: the frontend shows the page without it.
    assert payload["data"]["paths"] == [
        "/events/conference/",
        "/events/",
        "/",
        "/news/published-link/",
        "/sitemap.xml",
    ]
