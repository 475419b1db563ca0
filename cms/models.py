"""What every app shares: the abstract base page, site settings and the navigation menu."""

import datetime
from collections.abc import Collection, Iterable
from typing import Any, Protocol, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images.models import AbstractImage
from wagtail.models import Orderable, Page
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.internals.modelcluster import load
from cms.listing_columns import PEERS, load_left_out
from cms.menu_forms import MenuItemForm, NavigationMenuForm
from cms.panels import InlinePanelWithForm, item_titles
from cms.paths import frontend_path, frontend_url

SUMMARY_MAX_LENGTH = 300

JsonLd = dict[str, Any]


class StructuredDataContext(Protocol):
    """What page types describe themselves with: api/seo.py's StructuredData, which this module
    cannot import (the delivery layer sits above it)."""

    def url(self, page: Page) -> str | None: ...

    def london(self, moment: datetime.datetime | None) -> str | None: ...

    def organization(self) -> JsonLd: ...

    def share_image(self, page: Page) -> JsonLd | None: ...

    def web_page(self, page: Page) -> JsonLd: ...


def summary_field(help_text: str) -> models.TextField:
    """The plain-text summary lists, feeds and partner embeds show; its limit is enforced on save too."""
    return models.TextField(
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=f"{help_text} Plain text, at most {SUMMARY_MAX_LENGTH} characters.",
    )


class BasePage(HeadlessPreviewMixin, Page):
    """Every PSG page type: previewed on the headless frontend, or rendered here when none is configured."""

    # How the page looks when shared and what search engines are told (the Promote tab).
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media, cropped to 1200×630 around its focal "
        "point. Leave blank to use the page's main image, or else the site's default share image.",
    )
    canonical_url = models.URLField(
        "canonical URL",
        blank=True,
        help_text="Only if this page republishes one that lives elsewhere: the original's full URL. "
        "Leave blank and search engines are told this page's own address.",
    )
    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Tick to ask search engines not to list this page. It stays on the site and in its menus.",
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str, field_names: Collection[str], values: Collection[Any]) -> Self:
        # Without modelcluster's and Wagtail's constructors, which do nothing for a loaded page.
        return load(cls, db, field_names, values)

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet[Any] | None = None,
    ) -> None:
        # A deferred column read on a page of a listing loads for the whole listing at once.
        if using is None and from_queryset is None and fields and load_left_out(self, fields):
            return
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state.pop(PEERS, None)  # the other pages of its listing are not part of a page
        return state

    def share_image_fallback(self) -> AbstractImage | None:
        """The page's own picture, shared when no share image is chosen; page types that have one say so."""
        return None

    def structured_data(self, context: StructuredDataContext) -> list[JsonLd]:
        """schema.org objects describing the page (JSON-LD), built with the delivery layer's `context`;
        page types with richer facts (a news article, an event) give more."""
        return [context.web_page(self)]

    def get_client_root_url(self, request: HttpRequest) -> str:
        # Read at request time so FRONTEND_URL can differ per environment (and per test).
        return f"{settings.FRONTEND_URL}/preview/"

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Published pages live on the frontend; without one configured, show them here plainly.
        if settings.FRONTEND_URL:
            path = frontend_path(self)
            if path is None:
                # Under no site's root, so at no address on the frontend (Wagtail routes only
                # within a site, so only a direct call gets here).
                raise Http404
            return redirect(frontend_url(path))
        response: HttpResponse = super().serve(request, *args, **kwargs)
        return response

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # Only the admin preview renders here (when no frontend is configured): one plain template.
        return "cms/page_preview.html"

    def serve_preview(self, request: HttpRequest, preview_mode: str) -> HttpResponse:
        response: HttpResponse
        if settings.FRONTEND_URL:
            response = super().serve_preview(request, preview_mode)
        else:
            response = Page.serve_preview(self, request, preview_mode)
        return response

    @property
    def frontend_path(self) -> str | None:
        return frontend_path(self)


class SocialLink(Orderable):
    """One of PSG's social media profiles, shown in the frontend's footer."""

    PLATFORMS = [
        ("facebook", "Facebook"),
        ("x", "X (Twitter)"),
        ("bluesky", "Bluesky"),
        ("instagram", "Instagram"),
        ("youtube", "YouTube"),
        ("linkedin", "LinkedIn"),
        ("mastodon", "Mastodon"),
        ("other", "Other"),
    ]
    settings = ParentalKey("cms.SiteSettings", related_name="social_links", on_delete=models.CASCADE)
    platform = models.CharField(max_length=20, choices=PLATFORMS)
    url = models.URLField("URL")

    panels = [FieldPanel("platform"), FieldPanel("url")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"


@register_setting(icon="cog")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Organisation-wide facts the frontend shows on every page (name, contact, footer)."""

    organisation_name = models.CharField(max_length=255, default="Peru Support Group")
    contact_email = models.EmailField(
        blank=True,
        help_text="Shown in the footer and on contact links, and where every form's answers are "
        "emailed as they arrive (names, addresses, messages: use an address only PSG staff read). "
        "Left blank, the answers go to the server's fallback address if the site's administrator "
        "set one, else to nobody; they always stay under Forms.",
    )
    footer_text = models.TextField(blank=True, help_text="A short line shown in the footer of every page.")
    organisation_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="PSG's logo, as search engines show it beside news and events. Square or wide, "
        "at least 112 pixels each way.",
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without a picture of its own is shared on social media "
        "(cropped to 1200×630 around its focal point).",
    )
    x_handle = models.CharField(
        "X (Twitter) handle",
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(r"^@[A-Za-z0-9_]{1,15}$", "An @ then up to 15 letters, digits or underscores.")
        ],
        help_text="E.g. @perusupport: named as the site on X's cards when a page is shared there.",
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [FieldPanel("organisation_logo"), FieldPanel("default_share_image"), FieldPanel("x_handle")],
            heading="Search engines and social media",
        ),
        InlinePanel(
            "social_links",
            label="social link",
            heading="Social media profiles",
            attrs=item_titles("platform"),
        ),
    ]

    class Meta:
        verbose_name = "Site settings"


class NavigationMenu(ClusterableModel):
    """A menu the frontend asks for by handle (`main`, `footer`): editors change navigation, not code."""

    name = models.CharField(max_length=100, help_text="What editors call this menu.")
    handle = models.SlugField(
        max_length=50, unique=True, help_text="How the frontend asks for the menu, e.g. “main”."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("handle"),
        InlinePanelWithForm(
            "items",
            form=MenuItemForm,
            label="menu item",
            heading="Menu items",
            help_text="Drag the items into order.",
            attrs=item_titles("label|page|url"),
        ),
    ]
    base_form_class = NavigationMenuForm

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MenuItem(Orderable):
    """One link in a navigation menu: to a page of the site or to an external URL."""

    menu = ParentalKey(NavigationMenu, related_name="items", on_delete=models.CASCADE)
    label = models.CharField(max_length=100, blank=True, help_text="Leave blank to use the page's title.")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField("external URL", blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("label"), PageChooserPanel("page"), FieldPanel("url")],
            heading="Link",
            help_text="Choose a page or enter an external URL.",
        )
    ]

    def clean(self) -> None:
        super().clean()
        if self.page_id and self.url:
            raise ValidationError({"url": "Choose a page or enter an external URL, not both: clear one."})
        if not (self.page_id or self.url):
            raise ValidationError({"page": "Choose a page of this site, or enter an external URL below."})

    def __str__(self) -> str:
        return self.label or (self.page.title if self.page is not None else self.url)
