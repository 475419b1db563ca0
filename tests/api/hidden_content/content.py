"""The fixture: content anonymous visitors must never see, each item carrying its own marker string.

Every hidden item puts its marker in whatever the API could serve of it: title, slug (so its path),
summary, SEO fields, body, image title/alt/file name, document title/file name, topic, venue, menu
label. Public content sits next to it, referring to the hidden items wherever the schema has a
relation (menu, featured pages, main and hero images, image/document/button blocks, rich-text
links, redirects), and carries markers of its own so a test can tell that it is still served.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.models import MenuItem, NavigationMenu
from cms.paths import frontend_path
from events.models import Venue
from home.models import HomePageFeaturedPage, JoinReason
from news.models import Topic
from tests.factories import (
    LONDON,
    EventPageFactory,
    JoinPageFactory,
    NewsPageFactory,
    ProgrammeItemFactory,
    StandardPageFactory,
    TicketPriceFactory,
    make_site,
)

SUFFIX = "7f3a"


def marker(kind):
    """The marker of one item: `HIDDEN-DRAFT-NEWS-7f3a`. Responses are searched case-insensitively."""
    return f"{kind}-{SUFFIX}"


@dataclass
class Content:
    """What was built: the markers, and the ids, paths and terms the walker's arguments come from."""

    hidden: dict = field(default_factory=dict)  # marker -> what the hidden item is
    public: dict = field(default_factory=dict)  # marker -> what the public item is
    hidden_page_ids: list = field(default_factory=list)
    hidden_paths: list = field(default_factory=list)
    public_page_ids: list = field(default_factory=list)
    public_paths: list = field(default_factory=list)
    public_page_markers: list = field(default_factory=list)
    redirect_paths: list = field(default_factory=list)
    hidden_topic_slugs: list = field(default_factory=list)
    public_topic_slugs: list = field(default_factory=list)
    pages: dict = field(default_factory=dict)  # fixture name -> page, for the fixture's own checks

    def describe(self, found):
        return self.hidden.get(found) or self.public.get(found) or found


def _png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(title, collection, colour):
    return get_image_model().objects.create(
        title=title,
        description=f"Alt text of {title}",
        file=ImageFile(io.BytesIO(_png(colour)), name=f"{title.lower()}.png"),
        collection=collection,
    )


def _document(title, collection):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4\n% test document\n", name=f"{title.lower()}.pdf"),
        collection=collection,
    )


def _block(block_type, value):
    return {"type": block_type, "id": str(uuid.uuid4()), "value": value}


def _paragraph(html):
    return _block("paragraph", html)


def _text(mark):
    """Fields of a page that carry its marker."""
    return {
        "title": mark,
        "slug": mark.lower(),
        "seo_title": f"SEO {mark}",
        "search_description": f"Description {mark}",
    }


def _body(mark):
    return [
        _paragraph(f"<p>Body of {mark}.</p>"),
        _block("heading", {"text": f"Heading {mark}", "level": "h2"}),
    ]


def build():
    content = Content()
    now = timezone.now()
    home, news_index, events_index = make_site()
    content.public_paths += [frontend_path(news_index), frontend_path(events_index)]

    def hide(kind, description):
        mark = marker(f"HIDDEN-{kind}")
        content.hidden[mark] = description
        return mark

    def show(kind, description):
        mark = marker(f"PUBLIC-{kind}")
        content.public[mark] = description
        return mark

    def hidden_page(name, page):
        content.pages[name] = page
        content.hidden_page_ids.append(str(page.pk))
        content.hidden_paths.append(frontend_path(page))
        return page

    def public_page(name, page):
        content.pages[name] = page
        content.public_page_ids.append(str(page.pk))
        content.public_paths.append(frontend_path(page))
        content.public_page_markers.append(page.title)
        return page

    # --- Media in restricted collections, and public media --------------------------------------
    root_collection = Collection.get_first_root_node()
    restricted = root_collection.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.PASSWORD, password="board"
    )
    under_restricted = restricted.add_child(name="Board papers 2024")
    restricted_image = _image(hide("IMAGE", "image in a restricted collection"), restricted, "red")
    nested_image = _image(
        hide("NESTED-IMAGE", "image in a child collection of a restricted collection"),
        under_restricted,
        "blue",
    )
    restricted_document = _document(hide("DOCUMENT", "document in a restricted collection"), restricted)
    nested_document = _document(
        hide("NESTED-DOCUMENT", "document in a child collection of a restricted collection"),
        under_restricted,
    )
    public_image = _image(show("IMAGE", "public image"), root_collection, "green")
    public_document = _document(show("DOCUMENT", "public document"), root_collection)

    hidden_topic = Topic.objects.create(name=hide("TOPIC", "topic used only by hidden news"))
    public_topic = Topic.objects.create(name=show("TOPIC", "topic of public news"))
    content.hidden_topic_slugs.append(hidden_topic.slug)
    content.public_topic_slugs.append(public_topic.slug)

    # --- Hidden pages ---------------------------------------------------------------------------
    mark = hide("DRAFT-NEWS", "never-published NewsPage")
    draft_news = hidden_page(
        "draft_news",
        NewsPageFactory(
            parent=news_index,
            live=False,
            summary=f"Summary {mark}",
            body=_body(mark),
            main_image=public_image,
            **_text(mark),
        ),
    )
    draft_news.topics.add(hidden_topic)
    draft_news.save()

    mark = hide("DRAFT-EVENT", "never-published EventPage")
    draft_event = hidden_page(
        "draft_event",
        EventPageFactory(
            parent=events_index,
            live=False,
            summary=f"Summary {mark}",
            body=_body(mark),
            venue=Venue.objects.create(name=f"Venue {mark}", city="Lima"),
            registration_note=f"Note {mark}",
            **_text(mark),
        ),
    )
    TicketPriceFactory(page=draft_event, label=f"Price {mark}")
    ProgrammeItemFactory(page=draft_event, title=f"Programme {mark}")

    mark = hide("DRAFT-STANDARD", "never-published StandardPage (parent of a live page)")
    draft_standard = hidden_page(
        "draft_standard",
        StandardPageFactory(
            parent=home, live=False, summary=f"Summary {mark}", body=_body(mark), **_text(mark)
        ),
    )
    mark = hide("UNDER-DRAFT", "live StandardPage under a never-published parent")
    hidden_page(
        "under_draft",
        StandardPageFactory(
            parent=draft_standard, summary=f"Summary {mark}", body=_body(mark), **_text(mark)
        ),
    )

    mark = hide("DRAFT-JOIN", "never-published JoinPage")
    draft_join = hidden_page(
        "draft_join",
        JoinPageFactory(
            parent=home, live=False, intro=f"<p>Intro {mark}</p>", cta_label=f"CTA {mark}", **_text(mark)
        ),
    )
    JoinReason.objects.create(page=draft_join, text=f"Reason {mark}")

    mark = hide("PASSWORD-NEWS", "live NewsPage with a password restriction")
    password_news = hidden_page(
        "password_news",
        NewsPageFactory(parent=news_index, summary=f"Summary {mark}", body=_body(mark), **_text(mark)),
    )
    password_news.topics.add(hidden_topic)
    password_news.save()
    PageViewRestriction.objects.create(
        page=password_news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    mark = hide("LOGIN-STANDARD", "live StandardPage with a login restriction")
    login_standard = hidden_page(
        "login_standard",
        StandardPageFactory(parent=home, summary=f"Summary {mark}", body=_body(mark), **_text(mark)),
    )
    PageViewRestriction.objects.create(page=login_standard, restriction_type=PageViewRestriction.LOGIN)
    mark = hide("UNDER-RESTRICTED", "live, unrestricted StandardPage under a login-restricted parent")
    under_restricted_page = hidden_page(
        "under_restricted",
        StandardPageFactory(
            parent=login_standard, summary=f"Summary {mark}", body=_body(mark), **_text(mark)
        ),
    )

    mark = hide("GROUPS-EVENT", "live EventPage with a groups restriction")
    groups_event = hidden_page(
        "groups_event",
        EventPageFactory(parent=events_index, summary=f"Summary {mark}", body=_body(mark), **_text(mark)),
    )
    restriction = PageViewRestriction.objects.create(
        page=groups_event, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="PSG board")])

    mark = hide("SCHEDULED-NEWS", "NewsPage scheduled to go live in the future (live=False)")
    scheduled_news = hidden_page(
        "scheduled_news",
        NewsPageFactory(
            parent=news_index,
            live=False,
            go_live_at=now + datetime.timedelta(days=30),
            summary=f"Summary {mark}",
            body=_body(mark),
            **_text(mark),
        ),
    )

    mark = hide("EXPIRED-NEWS", "NewsPage past its expire_at, still live=True")
    expired_news = hidden_page(
        "expired_news",
        NewsPageFactory(parent=news_index, summary=f"Summary {mark}", body=_body(mark), **_text(mark)),
    )
    mark = hide("EXPIRED-EVENT", "past EventPage past its expire_at, still live=True")
    expired_event = hidden_page(
        "expired_event",
        EventPageFactory(
            parent=events_index,
            starts_at=datetime.datetime(2020, 3, 1, 18, 0, tzinfo=LONDON),
            ends_at=datetime.datetime(2020, 3, 1, 20, 0, tzinfo=LONDON),
            summary=f"Summary {mark}",
            body=_body(mark),
            **_text(mark),
        ),
    )
    # As if publish_scheduled had not run yet: expired in time, still live and not flagged.
    Page.objects.filter(pk__in=[expired_news.pk, expired_event.pk]).update(
        expire_at=now - datetime.timedelta(hours=1), expired=False, live=True
    )

    # A live news item whose newer revision is saved but not published: the revision must not show.
    mark = show("REVISED-NEWS", "live NewsPage (its published version)")
    revised = public_page(
        "revised_news",
        NewsPageFactory(parent=news_index, summary=f"Summary {mark}", body=_body(mark), **_text(mark)),
    )
    revised.topics.add(public_topic)
    revised.save()
    revised.save_revision().publish()
    draft = Page.objects.get(pk=revised.pk).specific
    mark = hide("UNPUBLISHED-REVISION", "unpublished newer revision of a live NewsPage")
    draft.title = mark
    draft.seo_title = f"SEO {mark}"
    draft.summary = f"Summary {mark}"
    draft.body = _body(mark)
    draft.main_image = public_image
    draft.save_revision()

    # --- Public pages that point at the hidden ones -------------------------------------------
    def rich_links(page, document):
        return (
            f'<p>Read <a linktype="page" id="{page.pk}">the background</a> and '
            f'<a linktype="document" id="{document.pk}">the briefing</a>.</p>'
        )

    mark = show("NEWS", "live NewsPage with hidden images, documents and links")
    public_news = public_page(
        "public_news",
        NewsPageFactory(
            parent=news_index,
            summary=f"Summary {mark}",
            main_image=restricted_image,
            body=[
                _paragraph(f"<p>Body of {mark}.</p>"),
                _paragraph(rich_links(draft_news, restricted_document)),
                _paragraph(rich_links(scheduled_news, nested_document)),
                _paragraph(rich_links(public_news_target := draft_event, public_document)),
                _block("image", {"image": restricted_image.pk, "alt_text": "", "caption": ""}),
                _block("image", {"image": nested_image.pk, "alt_text": "", "caption": ""}),
                _block("image", {"image": public_image.pk, "alt_text": "", "caption": ""}),
                _block("document", {"document": restricted_document.pk, "label": ""}),
                _block("document", {"document": nested_document.pk, "label": ""}),
                _block("document", {"document": public_document.pk, "label": ""}),
                _block(
                    "button", {"label": "Background", "page": public_news_target.pk, "url": "", "email": ""}
                ),
                _block("button", {"label": "Members", "page": password_news.pk, "url": "", "email": ""}),
                _block("button", {"label": "Earlier", "page": expired_news.pk, "url": "", "email": ""}),
            ],
            **_text(mark),
        ),
    )
    public_news.topics.add(public_topic)
    public_news.save()

    mark = show(
        "NEWS-NESTED-IMAGE", "live NewsPage whose main image is in a child of a restricted collection"
    )
    public_page(
        "public_news_nested_image",
        NewsPageFactory(parent=news_index, summary=f"Summary {mark}", main_image=nested_image, **_text(mark)),
    )

    mark = show("EVENT", "live upcoming EventPage pointing at hidden pages")
    public_page(
        "public_event",
        EventPageFactory(
            parent=events_index,
            summary=f"Summary {mark}",
            body=[
                _paragraph(rich_links(groups_event, restricted_document)),
                _block("button", {"label": "Members", "page": groups_event.pk, "url": "", "email": ""}),
                _block("button", {"label": "Archive", "page": expired_event.pk, "url": "", "email": ""}),
                _block("image", {"image": nested_image.pk, "alt_text": "", "caption": ""}),
            ],
            **_text(mark),
        ),
    )
    mark = show("PAST-EVENT", "live past EventPage")
    public_page(
        "public_past_event",
        EventPageFactory(
            parent=events_index,
            starts_at=datetime.datetime(2019, 3, 1, 18, 0, tzinfo=LONDON),
            ends_at=datetime.datetime(2019, 3, 1, 20, 0, tzinfo=LONDON),
            summary=f"Summary {mark}",
            **_text(mark),
        ),
    )

    mark = show("STANDARD", "live StandardPage pointing at hidden pages")
    public_standard = public_page(
        "public_standard",
        StandardPageFactory(
            parent=home,
            summary=f"Summary {mark}",
            body=[
                _paragraph(f"<p>Body of {mark}.</p>"),
                _paragraph(rich_links(under_restricted_page, nested_document)),
                _paragraph(rich_links(content.pages["under_draft"], restricted_document)),
                _block("button", {"label": "Aims", "page": under_restricted_page.pk, "url": "", "email": ""}),
                _block("button", {"label": "More", "page": draft_standard.pk, "url": "", "email": ""}),
                _block("button", {"label": "Join", "page": draft_join.pk, "url": "", "email": ""}),
                _block("image", {"image": restricted_image.pk, "alt_text": "", "caption": ""}),
                _block("document", {"document": restricted_document.pk, "label": ""}),
            ],
            **_text(mark),
        ),
    )
    mark = show("JOIN", "live JoinPage")
    public_join = public_page(
        "public_join",
        JoinPageFactory(parent=home, intro=rich_links(scheduled_news, restricted_document), **_text(mark)),
    )
    JoinReason.objects.create(page=public_join, text=f"Reason {mark}")

    # --- Site-wide relations: home, menu, redirects -------------------------------------------
    home = Page.objects.get(pk=home.pk).specific
    home.hero_image = restricted_image
    home.hero_text = rich_links(login_standard, nested_document)
    home.save()
    for index, (page, document) in (
        (news_index, (draft_news, restricted_document)),
        (events_index, (draft_event, nested_document)),
    ):
        index.intro = rich_links(page, document)
        index.save()
    featured = [
        draft_news,
        password_news,
        content.pages["under_draft"],
        under_restricted_page,
        scheduled_news,
    ]
    for order, page in enumerate([*featured, expired_news, groups_event, public_news], start=1):
        HomePageFeaturedPage.objects.create(home_page=home, page=page, sort_order=order)

    menu = NavigationMenu.objects.create(name="Main", handle="main")
    items = [
        (draft_news, hide("MENU-LABEL", "menu label of a link to a never-published page")),
        (password_news, ""),
        (under_restricted_page, ""),
        (content.pages["under_draft"], ""),
        (expired_event, ""),
        (draft_join, ""),
        (public_standard, ""),
    ]
    for order, (page, label) in enumerate(items):
        MenuItem.objects.create(menu=menu, page=page, label=label, sort_order=order)
    MenuItem.objects.create(menu=menu, url="https://example.org/", label="Partners", sort_order=len(items))

    for name in ("draft_news", "password_news", "under_restricted", "expired_news", "scheduled_news"):
        old_path = f"/old/{len(content.redirect_paths)}/"
        Redirect.objects.create(old_path=Redirect.normalise_path(old_path), redirect_page=content.pages[name])
        content.redirect_paths.append(old_path)
    Redirect.objects.create(old_path=Redirect.normalise_path("/old/public/"), redirect_page=public_news)
    content.redirect_paths.append("/old/public/")

    _check_markers(content)
    return content


def _check_markers(content):
    """No marker may contain another, or a hit could be blamed on the wrong item."""
    marks = [m.lower() for m in [*content.hidden, *content.public]]
    for mark in marks:
        others = [other for other in marks if other != mark and mark in other]
        assert not others, f"marker {mark} is part of {others}"
