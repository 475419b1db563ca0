"""Root queries over all pages: by path or id, redirects, search and the sitemap."""

import graphene
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from api.graphql.errors import UserInputError
from api.graphql.interfaces import PageInterface
from api.graphql.pagination import PaginationInfo, paginate, pagination_arguments
from api.input_rules import ascii_int
from api.prefetch import prepare_pages
from api.search import matching_ids, validate_search_term
from api.serving import public_redirect_target
from api.visibility import public_pages
from cms.paths import frontend_path, frontend_url, site_root_paths

# Page ids are a 32-bit integer column; a larger number is no page, on every database.
MAX_PAGE_ID = 2**31 - 1


def normalise_path(path):
    """`path` as page lookups compare it (with its trailing slash); UserInputError if it is no path."""
    path = (path or "").strip()
    if not path.startswith("/") or len(path) > 1024:
        raise UserInputError("`path` must be a site path starting with `/`, e.g. `/news/`.", argument="path")
    return path if path.endswith("/") else path + "/"


def public_page_at(path):
    """The public page at frontend `path` as its specific type, prepared for the API; None if none."""
    path = normalise_path(path)
    roots = [root.root_path for root in site_root_paths()]
    page = public_pages().filter(url_path__in=[root.rstrip("/") + path for root in roots]).specific().first()
    return prepare_pages([page])[0] if page else None


class RedirectType(graphene.ObjectType):
    """Where an old path now lives."""

    class Meta:
        name = "Redirect"

    old_path = graphene.String(required=True, description="The path that was asked for.")
    location = graphene.String(
        required=True, description="Frontend path or external URL to send visitors to."
    )
    is_permanent = graphene.Boolean(required=True, description="301 if true, 302 otherwise.")


class SearchResults(graphene.ObjectType):
    """One page of search results with totals."""

    items = graphene.List(graphene.NonNull(PageInterface), required=True, description="Best match first.")
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")


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
    search = graphene.Field(
        SearchResults,
        required=True,
        query=graphene.String(required=True, description="What to look for (at most 100 characters)."),
        **pagination_arguments(),
        description="Full-text search across all public pages.",
    )
    sitemap = graphene.List(
        graphene.NonNull(SitemapEntry), required=True, description="Every public page, for sitemap.xml."
    )

    @staticmethod
    def resolve_page(root, info, path=None, id=None):  # noqa: A002 - the argument clients use
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
    def resolve_redirect(root, info, path):
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
    def resolve_search(root, info, query, page, page_size):
        term = validate_search_term(query, "query")
        if not term:
            raise UserInputError("`query` must not be empty.", argument="query")
        ids = matching_ids(Page.objects.live(), term)
        public = set(public_pages().filter(pk__in=ids).values_list("pk", flat=True))
        ranked = [pk for pk in ids if pk in public]
        ids_page, pagination = paginate(ranked, page, page_size)
        pages = Page.objects.filter(pk__in=ids_page).specific().in_bulk()
        items = prepare_pages(pages[pk] for pk in ids_page if pk in pages)
        return SearchResults(items=items, pagination=pagination)

    @staticmethod
    def resolve_sitemap(root, info):
        pages = public_pages().order_by("path").only("id", "url_path", "last_published_at")
        return [
            SitemapEntry(
                path=frontend_path(p),
                url=frontend_url(frontend_path(p)),
                last_modified=timezone.localtime(p.last_published_at) if p.last_published_at else None,
            )
            for p in pages
        ]
