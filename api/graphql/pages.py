"""Root queries over all pages: by path or id, redirects, search and the sitemap."""

import graphene
from django.db.models import Q
from django.utils import timezone
from graphql import GraphQLResolveInfo
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from api.graphql.errors import UserInputError
from api.graphql.interfaces import PageInterface
from api.graphql.pagination import PaginationInfo, paginate, pagination_arguments
from api.input_rules import ascii_int
from api.prefetch import prepare_pages
from api.search import highlights, matching_pages, specific_pages, validate_search_term
from api.seo import default_site, noindex_page_ids
from api.serving import links_to_hidden_pages, public_redirect_target
from api.visibility import public_conditions, public_pages, public_pages_at
from cms.paths import frontend_path, frontend_url
from cms.sanitise import safe_url

# Page ids are a 32-bit integer column; a larger number is no page, on every database.
MAX_PAGE_ID = 2**31 - 1


def normalise_path(path: str | None) -> str:
    """`path` as page lookups compare it (with its trailing slash); UserInputError if it is no path."""
    path = (path or "").strip()
    if not path.startswith("/") or len(path) > 1024:
        raise UserInputError("`path` must be a site path starting with `/`, e.g. `/news/`.", argument="path")
    return path if path.endswith("/") else path + "/"


def public_page_at(path: str | None) -> Page | None:
    """The public page at frontend `path` as its specific type, prepared for the API; None if none."""
    page = public_pages_at(normalise_path(path)).specific().first()
    return prepare_pages([page])[0] if page else None


class RedirectType(graphene.ObjectType):
    """Where an old path now lives."""

    class Meta:
        name = "Redirect"

    old_path = graphene.String(
        required=True,
        description="The old path. From `redirect(path:)`, the path asked for; in `redirects`, as stored: "
        "without its trailing slash, so match requests with and without one.",
    )
    location = graphene.String(
        required=True, description="Frontend path or external URL to send visitors to."
    )
    is_permanent = graphene.Boolean(required=True, description="301 if true, 302 otherwise.")


class SearchHit(graphene.ObjectType):
    """One search result with what matched marked, ready to show in a results list."""

    page = graphene.Field(PageInterface, required=True, description="The page, as its specific type.")
    title = graphene.String(
        required=True,
        description="The page's title as HTML: escaped, each word that matched in `<mark>…</mark>`.",
    )
    snippet = graphene.String(
        required=True,
        description="About 200 characters of the page's text around the first match, as HTML: escaped, "
        "matches in `<mark>…</mark>`, `…` where the text was cut. No other tags.",
    )


class RedirectConnection(graphene.ObjectType):
    """One page of the site's redirects, with the totals."""

    items = graphene.List(graphene.NonNull(RedirectType), required=True, description="By old path.")
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")


def public_redirects() -> list[RedirectType]:
    """Every redirect of the frontend's site (or of all sites) whose target anonymous visitors may see,
    by old path: a public page, or a safe link that names no hidden page of this site."""
    site = default_site()
    if site is None:
        return []
    redirects = (
        Redirect.objects.filter(Q(site__isnull=True) | Q(site=site))
        .filter(Q(redirect_page__isnull=True) | Q(redirect_page__in=public_pages()))
        .select_related("redirect_page")
        .order_by("old_path", "pk")
    )
    found: list[tuple[Redirect, str]] = []
    for redirect in redirects:
        location = (
            frontend_path(redirect.redirect_page)
            if redirect.redirect_page_id
            else safe_url(redirect.redirect_link)
        )
        if location:
            found.append((redirect, location))
    # Absolute links and site paths are checked together; a relative link (rare) is read against its
    # old path, as a browser following it would.
    absolute = [
        loc for r, loc in found if not r.redirect_page_id and loc.startswith(("/", "http:", "https:"))
    ]
    hidden = links_to_hidden_pages(absolute)
    return [
        RedirectType(old_path=redirect.old_path, location=location, is_permanent=redirect.is_permanent)
        for redirect, location in found
        if redirect.redirect_page_id
        or (location in absolute and location not in hidden)
        or (location not in absolute and public_redirect_target(redirect) is not None)
    ]


class SearchResults(graphene.ObjectType):
    """One page of search results with totals."""

    items = graphene.List(graphene.NonNull(PageInterface), required=True, description="Best match first.")
    hits = graphene.List(
        graphene.NonNull(SearchHit),
        required=True,
        description="The same results with highlighted titles and snippets, best match first.",
    )
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")

    @staticmethod
    def resolve_hits(results: "SearchResults", info: GraphQLResolveInfo) -> list[SearchHit]:
        return [
            SearchHit(page=page, title=highlight.title, snippet=highlight.snippet)
            for page, highlight in zip(results.items, highlights(results.items, results.term), strict=True)
        ]


class SitemapEntry(graphene.ObjectType):
    """One public page for sitemap.xml."""

    path = graphene.String(required=True, description="Frontend path.")
    url = graphene.String(required=True, description="Absolute frontend URL.")
    last_modified = graphene.DateTime(description="When it was last published (London offset).")


class PagesQuery(graphene.ObjectType):
    page = graphene.Field(
        PageInterface,
        path=graphene.String(
            description="Frontend path, e.g. `/news/loreto-oil-spills-conflict-continues/`."
        ),
        id=graphene.ID(description="The page's id."),
        description="One public page by path or id, as its specific type; null if there is none.",
    )
    redirect = graphene.Field(
        RedirectType,
        path=graphene.String(required=True, description="The path that was not found."),
        description="The redirect editors set up for an old path (e.g. of a moved page), if any.",
    )
    redirects = graphene.Field(
        RedirectConnection,
        required=True,
        **pagination_arguments(),
        description="Every redirect editors set up for the site, by old path, for the frontend's build or an "
        "edge redirect table. Redirects to pages anonymous visitors may not see are left out.",
    )
    search = graphene.Field(
        SearchResults,
        required=True,
        query=graphene.String(required=True, description="What to look for (at most 100 characters)."),
        **pagination_arguments(),
        description="Search across all public pages: whole words first, then words as typed so far "
        "(“Bamba” finds “Las Bambas”), then, on PostgreSQL, titles with a typo when nothing else matched.",
    )
    sitemap = graphene.List(
        graphene.NonNull(SitemapEntry),
        required=True,
        description="Every public page search engines may list (not `noindex`), for sitemap.xml.",
    )

    @staticmethod
    def resolve_page(
        root: None,
        info: GraphQLResolveInfo,
        path: str | None = None,
        id: str | None = None,  # noqa: A002 - the argument clients use
    ) -> Page | None:
        if (path is None) == (id is None):
            raise UserInputError("Give exactly one of `path` or `id`.")
        qs = public_pages()
        if id is not None:
            page_id = ascii_int(str(id), 1, MAX_PAGE_ID)
            if page_id is None:
                raise UserInputError(
                    f"`id` must be a page id: digits 0-9, at most {MAX_PAGE_ID}.", argument="id"
                )
            qs = qs.filter(pk=page_id)
            page = qs.specific().first()
            return prepare_pages([page])[0] if page else None
        return public_page_at(path)

    @staticmethod
    def resolve_redirect(root: None, info: GraphQLResolveInfo, path: str) -> RedirectType | None:
        path = normalise_path(path)
        redirect = (
            Redirect.objects.filter(old_path=Redirect.normalise_path(path))
            .select_related("redirect_page")
            .first()
        )
        target = public_redirect_target(redirect) if redirect is not None else None
        if target is None:
            return None
        location = frontend_path(target) if isinstance(target, Page) else target
        return RedirectType(old_path=path, location=location, is_permanent=redirect.is_permanent)

    @staticmethod
    def resolve_redirects(
        root: None, info: GraphQLResolveInfo, page: int | None, page_size: int | None
    ) -> RedirectConnection:
        items, pagination = paginate(public_redirects(), page, page_size)
        return RedirectConnection(items=items, pagination=pagination)

    @staticmethod
    def resolve_search(
        root: None, info: GraphQLResolveInfo, query: str, page: int | None, page_size: int | None
    ) -> SearchResults:
        term = validate_search_term(query, "query")
        if not term:
            raise UserInputError(
                "`query` has no words to search for: send at least one letter or digit.", argument="query"
            )
        ranked = matching_pages(Page.objects.live(), term, within=public_conditions())
        matches, pagination = paginate(ranked, page, page_size)
        items = prepare_pages(specific_pages(matches))
        results = SearchResults(items=items, pagination=pagination)
        results.term = term
        return results

    @staticmethod
    def resolve_sitemap(root: None, info: GraphQLResolveInfo) -> list[SitemapEntry]:
        pages = public_pages().order_by("path").only("id", "url_path", "last_published_at")
        hidden = noindex_page_ids()
        return [
            SitemapEntry(
                path=frontend_path(p),
                url=frontend_url(frontend_path(p)),
                last_modified=timezone.localtime(p.last_published_at) if p.last_published_at else None,
            )
            for p in pages
            if p.pk not in hidden
        ]
