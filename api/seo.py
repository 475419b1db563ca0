"""What a page tells search engines and social media: its share image, canonical address and schema.org
description (JSON-LD), from the page's fields and the site's settings.

Page types describe themselves (`BasePage.structured_data(context)`, overridden by the content apps);
`StructuredData` is the context they build with, so no content app's facts are named here.
"""

import datetime
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils import timezone
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Page, Site

from api.prefetch import load_images, loaded_for_batch, renditions
from api.renditions import LOGO_SPEC, SHARE_IMAGE_SPEC
from api.tree import ancestors
from api.visibility import public_media
from cms.models import SiteSettings
from cms.paths import frontend_path, frontend_url
from cms.request_cache import memoised
from cms.sanitise import safe_url

SCHEMA_ORG = "https://schema.org"
JsonLd = dict[str, Any]


def default_site() -> Site | None:
    """The site the frontend serves (the default one), read once per request."""

    def read() -> Site | None:
        return (
            Site.objects.select_related("root_page").filter(is_default_site=True).first()
            or Site.objects.first()
        )

    site: Site | None = memoised("default-site", read)
    return site


def site_settings() -> SiteSettings:
    """The frontend's site's settings with their images, read once per request."""

    def read() -> SiteSettings:
        site = default_site()
        found = (
            SiteSettings.objects.select_related("organisation_logo", "default_share_image")
            .filter(site=site)
            .first()
            if site is not None
            else None
        )
        # Until an editor saves them, the defaults; a read never writes the row (that would be a
        # content change, replacing every cached answer).
        return found or SiteSettings(site=site)

    settings_row: SiteSettings = memoised("site-settings", read)
    return settings_row


def share_image(page: Page) -> AbstractImage | None:
    """The image shown when `page` is shared: its share image, else its own main picture, else the site's
    default; only one anonymous visitors may see."""
    loaded_for_batch(page, "share-images", lambda pages: load_images(pages, "share_image"))
    candidates = [getattr(page, "share_image", None)]
    fallback = getattr(page, "share_image_fallback", None)
    if fallback is not None:
        candidates.append(fallback())
    candidates.append(site_settings().default_share_image)
    for image in candidates:
        if public_media(image) is not None:
            return image
    return None


def share_rendition(image: AbstractImage) -> AbstractRendition:
    return renditions(image, SHARE_IMAGE_SPEC)[SHARE_IMAGE_SPEC]


def page_url(page: Page) -> str | None:
    url: str | None = frontend_url(frontend_path(page) or "/")
    return url


def canonical_url(page: Page) -> str | None:
    """The address search engines should credit: the editor's override, else the page's own URL."""
    return safe_url(getattr(page, "canonical_url", "")) or page_url(page)


def search_description(page: Page) -> str:
    """The meta description: the editor's, else the page's summary where it has one."""
    return str(page.search_description or getattr(page, "summary", "") or "")


def noindex_page_ids() -> set[int]:
    """The pages editors asked search engines not to list, of every page type that has the switch."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and any(field.name == "noindex" for field in model._meta.concrete_fields)
    ]
    querysets = [
        model._default_manager.filter(noindex=True).order_by().values_list("pk", flat=True)
        for model in models
    ]
    if not querysets:
        return set()
    return set(querysets[0].union(*querysets[1:]))


def london(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 with London's offset of that day (+00:00 in winter, +01:00 in summer)."""
    return timezone.localtime(moment).isoformat() if moment else None


class StructuredData:
    """The building blocks of a page's schema.org description, for one request (absolute URLs)."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self._organization: JsonLd | None = None

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url) if self.request is not None else url

    def url(self, page: Page) -> str | None:
        return page_url(page)

    def london(self, moment: datetime.datetime | None) -> str | None:
        return london(moment)

    def image(self, image: AbstractImage | None, spec: str = SHARE_IMAGE_SPEC) -> JsonLd | None:
        if public_media(image) is None:
            return None
        assert image is not None  # noqa: S101 - public_media answered None otherwise
        rendition = renditions(image, spec)[spec]
        return {
            "@type": "ImageObject",
            "url": self.absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }

    def share_image(self, page: Page) -> JsonLd | None:
        return self.image(share_image(page))

    def organization(self) -> JsonLd:
        """The organisation publishing the site: name, address, logo, its social media profiles."""
        if self._organization is None:
            self._organization = self._read_organization()
        return dict(self._organization)

    def _read_organization(self) -> JsonLd:
        settings_row = site_settings()
        found: JsonLd = {"@type": "Organization", "name": settings_row.organisation_name}
        home = frontend_url("/")
        if home:
            found["url"] = home
        logo = self.image(settings_row.organisation_logo, LOGO_SPEC)
        if logo:
            found["logo"] = logo
        if settings_row.contact_email:
            found["email"] = settings_row.contact_email
        profiles = [safe_url(link.url) for link in settings_row.social_links.all()]
        if any(profiles):
            found["sameAs"] = [url for url in profiles if url]
        return found

    def web_page(self, page: Page) -> JsonLd:
        found: JsonLd = {
            "@type": "WebPage",
            "name": page.seo_title or page.title,
            "url": self.url(page),
        }
        description = search_description(page)
        if description:
            found["description"] = description
        image = self.share_image(page)
        if image:
            found["primaryImageOfPage"] = image
        return found

    def breadcrumbs(self, page: Page) -> JsonLd:
        """The trail from the home page to `page`, as search results show it."""
        trail = [*ancestors(page), page]
        return {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": crumb.title, "item": self.url(crumb)}
                for position, crumb in enumerate(trail, start=1)
            ],
        }

    def describe(self, page: Page) -> JsonLd:
        """Everything about `page`: what the page type says of itself, and where it sits in the site."""
        graph = [*page.structured_data(self), self.breadcrumbs(page)]
        return {"@context": SCHEMA_ORG, "@graph": graph}

    def site(self) -> JsonLd:
        return {"@context": SCHEMA_ORG, **self.organization()}


def structured_data(request: HttpRequest | None) -> StructuredData:
    found: StructuredData = memoised("structured-data", lambda: StructuredData(request))
    return found
