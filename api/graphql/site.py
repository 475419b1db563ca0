"""Site-wide root queries: settings, navigation menus and the home page."""

import graphene
from wagtail.models import Site

from api.graphql.page_types import page_type
from api.serving import public_link
from api.visibility import public_pages
from cms.models import NavigationMenu, SiteSettings
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

    @staticmethod
    def resolve_contact_email(settings, info):
        return settings.contact_email or None

    @staticmethod
    def resolve_footer_text(settings, info):
        return settings.footer_text or None

    @staticmethod
    def resolve_social_links(settings, info):
        return [link for link in settings.social_links.all() if safe_url(link.url)]


def _page_type():
    from api.graphql.interfaces import PageInterface

    return PageInterface


class MenuItemType(graphene.ObjectType):
    """A link in a navigation menu."""

    class Meta:
        name = "MenuItem"

    label = graphene.String(required=True, description="Link text.")
    url = graphene.String(required=True, description="Absolute URL (frontend URL for pages of the site).")
    path = graphene.String(description="Frontend path, for links to pages of the site.")
    page = graphene.Field(_page_type, description="The linked page, for links to pages of the site.")


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
    def resolve_items(menu, info):
        items = list(menu.items.all())
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


def _default_site():
    return (
        Site.objects.select_related("root_page").filter(is_default_site=True).first() or Site.objects.first()
    )


class SiteQuery(graphene.ObjectType):
    site_settings = graphene.Field(SiteSettingsType, required=True, description="Organisation-wide settings.")
    menu = graphene.Field(
        MenuType,
        handle=graphene.String(default_value="main", description="The menu's handle; `main` by default."),
        description="A navigation menu by its handle; null if there is none.",
    )
    home = graphene.Field(
        lambda: page_type(_home_model()),
        description="The home page with its featured pages, latest news and upcoming events.",
    )

    @staticmethod
    def resolve_site_settings(root, info):
        return SiteSettings.for_site(_default_site())

    @staticmethod
    def resolve_menu(root, info, handle):
        return NavigationMenu.objects.filter(handle=handle).first()

    @staticmethod
    def resolve_home(root, info):
        home_model = _home_model()
        return public_pages(home_model).first()


def _home_model():
    from home.models import HomePage

    return HomePage
