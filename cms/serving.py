"""What the CMS host answers for page URLs and old paths: public pages and redirects to them, else 404.

Wagtail would route to a live page under an unpublished parent, send visitors of a restricted page
to a password form or the login page, and follow a redirect to any page at all. Here a page that
is not public (cms.visibility) and a redirect to one both answer exactly like a path that does not
exist, so the CMS host tells nobody which hidden paths there are.
"""

from typing import Any, NoReturn
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedRedirect
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.utils.deprecation import MiddlewareMixin
from wagtail import hooks
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.paths import site_root_paths
from cms.sanitise import safe_url
from cms.visibility import is_public, public_pages


@hooks.register("before_serve_page", order=-100)
def hide_pages_that_are_not_public(
    page: Page, request: HttpRequest, serve_args: tuple[Any, ...], serve_kwargs: dict[str, Any]
) -> None:
    # Before Wagtail's own hooks: an OPTIONS answer or a password form would show the page exists.
    if not is_public(page):
        raise Http404


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> NoReturn:
    """A 404 for views that only serve what this host never shows (password forms for restrictions)."""
    raise Http404


def _local_path(link: str) -> str | None:
    """The path of `link` if it points at this site (a path, or the CMS or frontend host), else None."""
    parts = urlsplit(link)
    if not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    hosts = {urlsplit(settings.FRONTEND_URL).netloc.lower()} if settings.FRONTEND_URL else set()
    hosts.update(urlsplit(root.root_url).netloc.lower() for root in site_root_paths())
    hosts.add(urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc.lower())
    return parts.path or "/" if parts.netloc.lower() in hosts else None


def _names_hidden_page(path: str) -> bool:
    """Whether a site path is the path of a page anonymous visitors may not see."""
    path = path if path.endswith("/") else path + "/"
    url_paths = [root.root_path.rstrip("/") + path for root in site_root_paths()]
    pages = Page.objects.filter(url_path__in=url_paths)
    return pages.exists() and not public_pages().filter(url_path__in=url_paths).exists()


def public_redirect_target(redirect: Redirect) -> Page | str | None:
    """Where a redirect may send anonymous visitors: a public page, a safe link, or None to hide it.

    A link to a path of this site (or the frontend) that names a hidden page is hidden too, so an
    editor's hand-typed link to a draft does not give its slug away.
    """
    if redirect.redirect_page_id:
        return public_pages().filter(pk=redirect.redirect_page_id).first()
    link = safe_url(redirect.redirect_link)
    if link is None:
        return None
    path = _local_path(link)
    if path is not None and _names_hidden_page(path):
        return None
    return link


class PublicRedirectMiddleware(MiddlewareMixin):
    """Wagtail's RedirectMiddleware, following only redirects whose target anonymous visitors may see."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None:
            path_without_query = urlsplit(path).path
            if path == path_without_query:
                return response
            redirect = get_redirect(request, path_without_query)
            if redirect is None:
                return response
        target = public_redirect_target(redirect)
        if target is None:
            return response
        location = redirect.link if isinstance(target, Page) else target
        if not location:
            return response
        response_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
        try:
            return response_class(location)
        except DisallowedRedirect:  # a safe link Django does not redirect to (`mailto:`)
            return response
