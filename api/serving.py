"""What the CMS host answers for page URLs and old paths: public pages and redirects to them, else 404.

Wagtail would route to a live page under an unpublished parent, send visitors of a restricted page
to a password form or the login page, and follow a redirect to any page at all. Here a page that
is not public (api.visibility) and a redirect to one both answer exactly like a path that does not
exist, so the CMS host tells nobody which hidden paths there are.
"""

from collections.abc import Iterable
from typing import Any, NoReturn
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedRedirect
from django.db.models.functions import Lower
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

from api.visibility import is_public, public_pages
from cms.paths import site_root_paths
from cms.request_cache import memoised, store
from cms.sanitise import safe_url


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


def _site_hosts() -> set[str]:
    """Host names (no port) that serve this site's paths: the frontend, every site, the CMS host."""
    urls = [settings.FRONTEND_URL] if settings.FRONTEND_URL else []
    urls += [root.root_url for root in site_root_paths()]
    urls.append(settings.WAGTAILADMIN_BASE_URL)
    return {(urlsplit(url).hostname or "").rstrip(".") for url in urls} - {""}


def _browser_paths(link: str, base: str) -> list[str]:
    """The paths of this site `link` leads to, read the way a browser reads it; [] for other sites.

    A browser takes a backslash for a slash, drops user names, ports are alike to this check, a
    trailing dot on the host changes nothing, and percent-encoded letters, dot segments and
    doubled slashes all reach the same page. A relative link is resolved against the redirect's old
    path, with and without its trailing slash (the request may have had either).
    """
    link = link.replace("\\", "/")
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        host = (parts.hostname or "").rstrip(".")
        if host not in _site_hosts():
            return []
        candidates = [parts.path or "/"]
    elif parts.path.startswith("/"):
        candidates = [parts.path]
    else:
        candidates = [urlsplit(urljoin(origin, link)).path for origin in (base, base.rstrip("/") + "/")]
    paths = []
    for candidate in candidates:
        segments: list[str] = []
        for segment in unquote(candidate).split("/"):
            if segment == "..":
                if segments:
                    segments.pop()
            elif segment not in ("", "."):
                segments.append(segment)
        paths.append("/" + "".join(f"{segment}/" for segment in segments))
    return paths


def _names_hidden_page(paths: list[str]) -> bool:
    """Whether any of these site paths is, letter case aside, the path of a page anonymous visitors
    may not see."""
    url_paths = {(root.root_path.rstrip("/") + path).lower() for root in site_root_paths() for path in paths}
    if not url_paths:
        return False
    named = set(
        Page.objects.annotate(lower_path=Lower("url_path"))
        .filter(lower_path__in=url_paths)
        .values_list("pk", flat=True)
    )
    return bool(named) and bool(named - set(public_pages().filter(pk__in=named).values_list("pk", flat=True)))


def links_to_hidden_pages(links: Iterable[str]) -> set[str]:
    """Those of `links` (safe URLs, as stored) that name a hidden page of this site: two queries at
    most for the lot, none when no link points at this site; answers kept for the request."""
    memo = store()
    known = memo.setdefault("links-to-hidden-pages", {}) if memo is not None else {}
    wanted: dict[str, set[str]] = {}
    for link in links:
        if link not in known:
            paths = _browser_paths(link, "/")
            url_paths = {
                (root.root_path.rstrip("/") + path).lower() for root in site_root_paths() for path in paths
            }
            if url_paths:
                wanted[link] = url_paths
            else:
                known[link] = False
    if wanted:
        named = dict(
            Page.objects.annotate(lower_path=Lower("url_path"))
            .filter(lower_path__in=set().union(*wanted.values()))
            .values_list("pk", "lower_path")
        )
        public = set(public_pages().filter(pk__in=named).values_list("pk", flat=True)) if named else set()
        hidden_paths = {path for pk, path in named.items() if pk not in public}
        for link, url_paths in wanted.items():
            known[link] = bool(url_paths & hidden_paths)
    return {link for link in links if known[link]}


def public_link(url: str | None) -> str | None:
    """`url` if it is safe (`safe_url()`) and does not name a hidden page of this site, else None.

    For URLs editors type (menu items, buttons, calls to action): a hand-typed link to a draft
    must not give its slug away, any more than a redirect may.
    """
    link = safe_url(url)
    if link is None:
        return None
    hidden = memoised(("names-hidden-page", link), lambda: _names_hidden_page(_browser_paths(link, "/")))
    return None if hidden else link


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
    if _names_hidden_page(_browser_paths(link, redirect.old_path)):
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
