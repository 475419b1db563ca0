"""The CMS host and the API tell nobody which hidden paths exist.

A page that is not public, and a redirect (set up by hand or made by Wagtail on a move or rename)
whose target is such a page, must answer exactly like a path that never existed: the same status,
body and headers (less the request id and the date) on the CMS host, the same `null` in GraphQL.
"""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from tests.factories import NewsPageFactory, StandardPageFactory, make_site

pytestmark = pytest.mark.django_db

VOLATILE_HEADERS = {"x-request-id", "date"}


def shape(response):
    """Everything a visitor can observe of an answer, less what differs on every request."""
    headers = {name.lower(): value for name, value in response.headers.items()}
    return (
        response.status_code,
        {name: value for name, value in headers.items() if name not in VOLATILE_HEADERS},
        response.content,
    )


def missing_path():
    return f"/news/no-such-page-{uuid.uuid4().hex[:8]}/"


def nowhere(client, method="get"):
    return shape(getattr(client, method)(missing_path()))


@pytest.fixture
def site():
    home, news_index, _events_index = make_site()
    return home, news_index


def _draft(home, news):
    return NewsPageFactory(parent=news, slug="draft-statement", live=False)


def _unpublished(home, news):
    page = NewsPageFactory(parent=news, slug="withdrawn-statement")
    page.unpublish()
    return page


def _scheduled(home, news):
    later = timezone.now() + datetime.timedelta(days=3)
    return NewsPageFactory(parent=news, slug="embargoed-statement", live=False, go_live_at=later)


def _live_but_not_yet(home, news):
    # `publish_scheduled` not run, or a row written outside Wagtail: live, yet not due.
    later = timezone.now() + datetime.timedelta(days=3)
    return NewsPageFactory(parent=news, slug="early-statement", go_live_at=later)


def _expired(home, news):
    earlier = timezone.now() - datetime.timedelta(days=1)
    return NewsPageFactory(parent=news, slug="expired-statement", expire_at=earlier)


def _restricted(kind):
    def build(home, news):
        page = NewsPageFactory(parent=news, slug=f"{kind}-statement")
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="s3cret")
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.add(Group.objects.create(name="Trustees"))
        return page

    return build


def _under_restricted_section(home, news):
    section = StandardPageFactory(parent=home, slug="members")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    return StandardPageFactory(parent=section, slug="minutes")


def _under_draft_section(home, news):
    section = StandardPageFactory(parent=home, slug="campaign", live=False)
    return StandardPageFactory(parent=section, slug="launch")


def _outside_every_site(home, news):
    return StandardPageFactory(parent=Page.get_first_root_node(), slug="old-site-page")


HIDDEN = {
    "draft": _draft,
    "unpublished": _unpublished,
    "scheduled": _scheduled,
    "live-but-not-yet-due": _live_but_not_yet,
    "expired": _expired,
    "password": _restricted(PageViewRestriction.PASSWORD),
    "login": _restricted(PageViewRestriction.LOGIN),
    "groups": _restricted(PageViewRestriction.GROUPS),
    "under-a-restricted-section": _under_restricted_section,
    "under-a-draft-section": _under_draft_section,
    "outside-every-site": _outside_every_site,
}
# Pages a site URL can reach: the others have no URL on this host at all.
ROUTABLE = [name for name in HIDDEN if name != "outside-every-site"]


def site_path(page):
    """The page's path on the site (for a page outside every site, its tree path)."""
    root = "/psg-home/"
    return "/" + page.url_path[len(root) :] if page.url_path.startswith(root) else page.url_path


# --- The CMS host ------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ROUTABLE)
def test_a_hidden_page_answers_like_a_missing_one(client, site, variant):
    page = HIDDEN[variant](*site)
    assert shape(client.get(site_path(page))) == nowhere(client)
    # Wagtail answers OPTIONS itself, with the methods the page allows.
    assert shape(client.options(site_path(page))) == nowhere(client, "options")


@pytest.mark.parametrize("method", ["head", "post"])
def test_other_methods_on_a_restricted_page_answer_like_a_missing_one(client, site, method):
    page = _restricted(PageViewRestriction.PASSWORD)(*site)
    assert shape(getattr(client, method)(site_path(page))) == nowhere(client, method)


def test_a_public_page_still_sends_visitors_to_the_frontend(client, site):
    page = NewsPageFactory(parent=site[1], slug="public-statement")
    response = client.get(site_path(page))
    assert response.status_code == 302
    assert response["Location"] == "https://frontend.test/news/public-statement/"


@pytest.mark.parametrize("variant", HIDDEN)
def test_a_redirect_to_a_hidden_page_answers_like_a_missing_path(client, site, variant):
    page = HIDDEN[variant](*site)
    Redirect.objects.create(old_path="/old-statement", redirect_page=page, is_permanent=True)
    Redirect.objects.create(old_path="/old-story", redirect_page=page, is_permanent=False)
    assert shape(client.get("/old-statement/")) == nowhere(client)
    assert shape(client.get("/old-statement/?utm_source=x")) == nowhere(client)
    assert shape(client.get("/old-story/")) == nowhere(client)


@pytest.mark.parametrize("variant", ROUTABLE)
def test_a_typed_path_to_a_hidden_page_answers_like_a_missing_path(client, site, variant):
    page = HIDDEN[variant](*site)
    Redirect.objects.create(old_path="/old-statement", redirect_link=site_path(page))
    assert shape(client.get("/old-statement/")) == nowhere(client)


@pytest.mark.parametrize("variant", ["draft", "login"])
@pytest.mark.parametrize(
    "link",
    [
        "https://frontend.test{path}",
        "http://testserver{path}",
        "http://LOCALHOST{path}",
        "//frontend.test{path}",
        "{path}?x=1",
        # Spellings a browser (or the frontend's router) takes to the same page.
        "https://frontend.test:443{path}",
        "https://frontend.test.{path}",
        "https://someone@frontend.test{path}",
        "HTTPS://FRONTEND.TEST{path}",
        "/\\frontend.test{path}",
        "\\\\frontend.test{path}",
        "{encoded}",
        "{upper}",
        "/news//{slug}/",
        "/news/./{slug}/",
        "/news/%2e/{slug}/",
        "/other/../news/{slug}/",
        "/news\\{slug}/",
        "../news/{slug}/",
        "{path}#top",
    ],
)
def test_a_typed_link_to_a_hidden_page_answers_like_a_missing_path(client, site, variant, link):
    page = HIDDEN[variant](*site)
    path = site_path(page)
    encoded = "".join(f"%{ord(char):02X}" if char.isalpha() else char for char in path)
    typed = link.format(path=path, slug=page.slug, encoded=encoded, upper=path.upper())
    Redirect.objects.create(old_path="/old-statement", redirect_link=typed)
    assert shape(client.get("/old-statement/")) == nowhere(client)


def test_a_redirect_to_a_deleted_page_answers_like_a_missing_path(client, site):
    page = NewsPageFactory(parent=site[1], slug="deleted-statement")
    Redirect.objects.create(old_path="/old-statement", redirect_page=page)
    page.delete()
    assert shape(client.get("/old-statement/")) == nowhere(client)
    assert shape(client.get("/news/deleted-statement/")) == nowhere(client)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "ftp://x.org/",
    ],
)
def test_a_redirect_to_an_unsafe_link_answers_like_a_missing_path(client, site, link):
    Redirect.objects.create(old_path="/old-statement", redirect_link=link)
    assert shape(client.get("/old-statement/")) == nowhere(client)


def test_redirects_to_public_targets_still_work(client, site):
    home, news = site
    page = NewsPageFactory(parent=news, slug="public-statement")
    Redirect.objects.create(old_path="/old-statement", redirect_page=page, is_permanent=True)
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/a", is_permanent=False)
    Redirect.objects.create(old_path="/by-link", redirect_link="/news/public-statement/")
    Redirect.objects.create(old_path="/no-page-there", redirect_link="/documents/")

    moved = client.get("/old-statement/")
    assert (moved.status_code, moved["Location"]) == (301, "/news/public-statement/")
    elsewhere = client.get("/elsewhere/")
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "https://example.org/a")
    assert client.get("/by-link/")["Location"] == "/news/public-statement/"
    assert client.get("/no-page-there/")["Location"] == "/documents/"


def test_password_forms_for_restrictions_are_not_found(client, site):
    page = _restricted(PageViewRestriction.PASSWORD)(*site)
    restriction = PageViewRestriction.objects.get(page=page)
    form = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    assert shape(client.get(form)) == shape(client.get(f"/_util/authenticate_with_password/999/{page.pk}/"))
    assert client.get(form).status_code == 404
    response = client.post(form, {"password": "s3cret", "return_url": site_path(page)})
    assert response.status_code == 404


# --- Redirects Wagtail makes on a rename or a move ---------------------------------------------


def test_the_old_path_of_a_renamed_page_hides_it_once_unpublished(
    client, site, django_capture_on_commit_callbacks
):
    page = NewsPageFactory(parent=site[1], slug="first-name")
    with django_capture_on_commit_callbacks(execute=True):
        page.slug = "second-name"
        page.save()
    redirect = Redirect.objects.get(old_path="/news/first-name")
    assert redirect.automatically_created and redirect.redirect_page_id == page.pk
    assert client.get("/news/first-name/")["Location"] == "/news/second-name/"

    page.unpublish()
    assert shape(client.get("/news/first-name/")) == nowhere(client)


def test_the_old_path_of_a_page_moved_into_a_restricted_section_answers_like_a_missing_one(
    client, site, django_capture_on_commit_callbacks
):
    home, news = site
    page = NewsPageFactory(parent=news, slug="board-minutes")
    section = StandardPageFactory(parent=home, slug="members")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    with django_capture_on_commit_callbacks(execute=True):
        page.move(section, pos="last-child")
    assert Redirect.objects.filter(old_path="/news/board-minutes", automatically_created=True).exists()
    assert shape(client.get("/news/board-minutes/")) == nowhere(client)
    assert shape(client.get("/members/board-minutes/")) == nowhere(client)


# --- The API -----------------------------------------------------------------------------------

LOOKUP = "query ($path: String!) { page(path: $path) { id title } redirect(path: $path) { location } }"


def api_shape(gql, path):
    response = gql.post(LOOKUP, {"path": path})
    return response.status_code, response.json()


@pytest.mark.parametrize("variant", HIDDEN)
def test_the_api_answers_for_a_hidden_page_as_for_a_missing_one(gql, site, variant):
    page = HIDDEN[variant](*site)
    Redirect.objects.create(old_path="/old-statement", redirect_page=page)
    Redirect.objects.create(old_path="/old-link", redirect_link=site_path(page))
    Redirect.objects.create(
        old_path="/old-frontend-link", redirect_link=f"https://frontend.test{site_path(page)}"
    )
    expected = (200, {"data": {"page": None, "redirect": None}})
    assert api_shape(gql, missing_path()) == expected
    # A page outside every site has no site path for a typed link to name.
    typed = ["/old-link/", "/old-frontend-link/"] if variant in ROUTABLE else []
    for path in [site_path(page), "/old-statement/", *typed]:
        assert api_shape(gql, path) == expected, path
    by_id = gql.post("query ($id: ID!) { page(id: $id) { id } }", {"id": str(page.pk)}).json()
    assert by_id == {"data": {"page": None}}


def test_the_api_still_gives_redirects_to_public_targets(gql, site):
    page = NewsPageFactory(parent=site[1], slug="public-statement")
    Redirect.objects.create(old_path="/old-statement", redirect_page=page)
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/a")
    Redirect.objects.create(old_path="/unsafe", redirect_link="javascript:alert(1)")
    assert api_shape(gql, "/old-statement/")[1]["data"]["redirect"] == {"location": "/news/public-statement/"}
    assert api_shape(gql, "/elsewhere/")[1]["data"]["redirect"] == {"location": "https://example.org/a"}
    assert api_shape(gql, "/unsafe/")[1]["data"]["redirect"] is None


TYPED_LINKS = (
    "{ menu { items { label url } } page(path: $path) { ... on JoinPage { callToAction { url href } } } }"
)


@pytest.mark.parametrize("variant", ["draft", "login", "under-a-draft-section"])
@pytest.mark.parametrize("spelling", ["https://frontend.test{path}", "{path}", "/NEWS/../{upper}"])
def test_typed_links_to_a_hidden_page_in_menus_buttons_and_calls_to_action_are_left_out(
    gql, site, variant, spelling
):
    from cms.models import MenuItem, NavigationMenu
    from news.models import NewsPage
    from tests.factories import JoinPageFactory

    home, news = site
    page = HIDDEN[variant](*site)
    link = spelling.format(path=site_path(page), upper=site_path(page).upper().lstrip("/"))
    menu = NavigationMenu.objects.create(name="Main", handle="main")
    MenuItem.objects.create(menu=menu, label="Hidden", url=link, sort_order=0)
    MenuItem.objects.create(menu=menu, label="Elsewhere", url="https://example.org/", sort_order=1)
    join = JoinPageFactory(parent=home, slug="join", cta_email="join@example.org")
    type(join).objects.filter(pk=join.pk).update(cta_url=link)  # a relative link, as an import may write
    story = NewsPageFactory(parent=news, slug="story")
    button = {"label": "Read", "page": None, "url": link, "email": None}
    NewsPage.objects.filter(pk=story.pk).update(body=[{"type": "button", "value": button, "id": "b"}])

    data = gql(f"query ($path: String!) {TYPED_LINKS}", {"path": "/join/"})
    assert data["menu"]["items"] == [{"label": "Elsewhere", "url": "https://example.org/"}]
    assert data["page"]["callToAction"] == {"url": None, "href": "mailto:join@example.org"}
    body = gql('{ page(path: "/news/story/") { ... on NewsPage { body { ... on ButtonBlock { url } } } } }')[
        "page"
    ]["body"]
    assert body == [{"url": None}]


@pytest.mark.parametrize("variant", ["draft", "password", "under-a-restricted-section"])
def test_typed_links_to_a_hidden_page_in_rich_text_become_text(gql, site, variant):
    from news.models import NewsPage

    home, news = site
    page = HIDDEN[variant](*site)
    public = NewsPageFactory(parent=news, slug="public-statement")
    path = site_path(page)
    paragraph = (
        f'<p><a href="https://frontend.test{path}">one</a> <a href="{path}">two</a> '
        f'<a href="{path.upper()}">three</a> <a href="https://frontend.test/news/public-statement/">four</a> '
        f'<a linktype="page" id="{public.pk}">five</a> <a href="https://example.org{path}">six</a></p>'
    )
    story = NewsPageFactory(parent=news, slug="story")
    NewsPage.objects.filter(pk=story.pk).update(body=[{"type": "paragraph", "value": paragraph, "id": "p"}])

    query = '{ page(path: "/news/story/") { ... on NewsPage { body { ... on ParagraphBlock { html } } } } }'
    [block] = gql(query)["page"]["body"]
    assert block["html"] == (
        '<p>one two three <a href="https://frontend.test/news/public-statement/">four</a> '
        f'<a href="https://frontend.test/news/public-statement/">five</a> <a href="https://example.org{path}">six</a></p>'
    )
