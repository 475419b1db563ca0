"""Site-wide root queries: settings and navigation menus."""

import graphene
from graphql import GraphQLResolveInfo
from wagtail.images.models import AbstractImage

from api.graphql.images import ImageType
from api.graphql.interfaces import PageInterface
from api.graphql.seo import JSONString, ShareImageType
from api.seo import JsonLd, site_settings, structured_data
from api.serving import public_link
from api.visibility import public_media, public_pages
from cms.models import MenuItem, NavigationMenu, SiteSettings, SocialLink
from cms.paths import frontend_path, frontend_url
from cms.sanitise import safe_url


class SocialLinkType(graphene.ObjectType):
    """A social media profile."""

    class Meta:
        name = "SocialLink"

    platform = graphene.String(required=True, description="E.g. `facebook`, `bluesky`, `youtube`, `other`.")
    url = graphene.String(required=True, description="Profile URL.")


class SiteSettingsType(graphene.ObjectType):
    """Organisation-wide facts for the header and footer."""

    class Meta:
        name = "SiteSettings"

    organisation_name = graphene.String(required=True, description="E.g. “Peru Support Group”.")
    contact_email = graphene.String(description="Public contact address.")
    footer_text = graphene.String(description="A line for the footer.")
    social_links = graphene.List(graphene.NonNull(SocialLinkType), required=True, description="In order.")
    logo = graphene.Field(ImageType, description="The organisation's logo, if set.")
    default_share_image = graphene.Field(
        ShareImageType,
        description="Shared on social media for pages with no picture of their own (each page's "
        "`seo.shareImage` already falls back to it).",
    )
    x_handle = graphene.String(
        description="The site's X (Twitter) account for `twitter:site`, e.g. `@perusupport`."
    )
    json_ld = graphene.Field(
        JSONString,
        required=True,
        description="The organisation in schema.org terms (JSON-LD `Organization`: name, URL, logo, "
        "profiles), for the home page's <head>.",
    )

    @staticmethod
    def resolve_logo(settings: SiteSettings, info: GraphQLResolveInfo) -> AbstractImage | None:
        return public_media(settings.organisation_logo)

    @staticmethod
    def resolve_default_share_image(settings: SiteSettings, info: GraphQLResolveInfo) -> AbstractImage | None:
        return public_media(settings.default_share_image)

    @staticmethod
    def resolve_x_handle(settings: SiteSettings, info: GraphQLResolveInfo) -> str | None:
        return settings.x_handle or None

    @staticmethod
    def resolve_json_ld(settings: SiteSettings, info: GraphQLResolveInfo) -> JsonLd:
        return structured_data(getattr(info, "context", None)).site()

    @staticmethod
    def resolve_contact_email(settings: SiteSettings, info: GraphQLResolveInfo) -> str | None:
        return settings.contact_email or None

    @staticmethod
    def resolve_footer_text(settings: SiteSettings, info: GraphQLResolveInfo) -> str | None:
        return settings.footer_text or None

    @staticmethod
    def resolve_social_links(settings: SiteSettings, info: GraphQLResolveInfo) -> list[SocialLink]:
        return [link for link in settings.social_links.all() if safe_url(link.url)]


class MenuItemType(graphene.ObjectType):
    """A link in a navigation menu."""

    class Meta:
        name = "MenuItem"

    label = graphene.String(required=True, description="Link text.")
    url = graphene.String(required=True, description="Absolute URL (frontend URL for pages of the site).")
    path = graphene.String(description="Frontend path, for links to pages of the site.")
    page = graphene.Field(PageInterface, description="The linked page, for links to pages of the site.")


class MenuType(graphene.ObjectType):
    """A navigation menu."""

    class Meta:
        name = "Menu"

    handle = graphene.String(required=True, description="E.g. `main`.")
    name = graphene.String(required=True, description="Editors' name for it.")
    items = graphene.List(
        graphene.NonNull(MenuItemType),
        required=True,
        description="Links, in order; links to pages that are not public are left out.",
    )

    @staticmethod
    def resolve_items(menu: NavigationMenu, info: GraphQLResolveInfo) -> list[MenuItemType]:
        items: list[MenuItem] = list(menu.items.all())
        page_ids = [item.page_id for item in items if item.page_id]
        pages = public_pages().filter(pk__in=page_ids).specific().in_bulk() if page_ids else {}
        result = []
        for item in items:
            if item.page_id:
                page = pages.get(item.page_id)
                if page is None:
                    continue
                path = frontend_path(page)
                result.append(
                    MenuItemType(label=item.label or page.title, url=frontend_url(path), path=path, page=page)
                )
            else:
                url = public_link(item.url)
                if url is None:
                    continue
                result.append(MenuItemType(label=item.label or url, url=url, path=None, page=None))
        return result


class SiteQuery(graphene.ObjectType):
    site_settings = graphene.Field(SiteSettingsType, required=True, description="Organisation-wide settings.")
    menu = graphene.Field(
        MenuType,
        handle=graphene.String(default_value="main", description="The menu's handle; `main` by default."),
        description="A navigation menu by its handle; null if there is none.",
    )

    @staticmethod
    def resolve_site_settings(root: None, info: GraphQLResolveInfo) -> SiteSettings:
        return site_settings()

    @staticmethod
    def resolve_menu(root: None, info: GraphQLResolveInfo, handle: str) -> NavigationMenu | None:
        menu: NavigationMenu | None = NavigationMenu.objects.filter(handle=handle).first()
        return menu
