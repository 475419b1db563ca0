"""The editors' admin, site-wide: the navigation menu snippet, choosers and bulk actions that show only
what the user may see, UK date formats, and a character counter on limited text fields. Each content
app adds its own listings and dashboard panels in its wagtail_hooks.py."""

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from taggit.managers import TaggableManager
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.views import chooser
from wagtail.admin.views.bulk_action.base_bulk_action import BulkAction
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from api.visibility import public_pages

# Each registers its own hooks: the guide in the Help menu, the scheduled and drafts overview,
# moderation's place on the dashboard and its confirmations, who sees personal data.
from cms import deletion_warnings, editorial_overview, editors_guide, moderation_admin, personal_data_admin  # noqa: F401
from cms.admin_fields import DATE_FIELD, DATETIME_FIELD, TEXT_FIELD, TIME_FIELD, tag_field
from cms.models import NavigationMenu

# --- Snippets ---------------------------------------------------------------------------------


class NavigationMenuViewSet(SnippetViewSet):
    model = NavigationMenu
    icon = "list-ul"
    menu_label = "Menus"
    list_display = ["name", "handle"]
    search_fields = ["name", "handle"]


register_snippet(NavigationMenuViewSet)

# --- Page chooser and bulk actions --------------------------------------------------------------
# Wagtail's page chooser lists every page, drafts by their draft titles, to anyone who may use the
# admin, and its bulk-action pages name the pages given by id that the user may not act on. Here
# both show only what the user could see anyway: pages in their page explorer, and public pages
# (which anyone may link to). Editors with rights over the whole tree see everything, as before.


def _explorable_ids(user, pages):
    if user.is_active and user.is_superuser:
        return {page.pk for page in pages}
    explorable = page_permission_policy.explorable_instances(user)
    return set(explorable.filter(pk__in=[page.pk for page in pages]).values_list("pk", flat=True))


def show_live_titles(user, pages):
    """Pages `user` may not explore show their published title, never a draft's new title."""
    pages = [page for page in pages if isinstance(page, Page)]
    explorable = _explorable_ids(user, pages) if pages else set()
    for page in pages:
        if page.pk not in explorable and page.depth > 1:
            page.draft_title = page.title


def pages_visible_to(user, pages):
    """`pages` less those `user` may neither explore nor see on the public site."""
    if user.is_active and user.is_superuser:
        return pages
    explorable = page_permission_policy.explorable_instances(user).values("pk")
    return pages.filter(Q(depth=1) | Q(pk__in=explorable) | Q(pk__in=public_pages().values("pk")))


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_only_visible_pages(pages, request):
    return pages_visible_to(request.user, pages)


_browse_object_list = chooser.BrowseView.get_object_list


def _browse_visible_parent(self):
    # The parent's title heads the listing: a hidden parent given by id answers like a missing one;
    # one Wagtail picked itself (the common ancestor of a page type) gives way to the root.
    if not pages_visible_to(self.request.user, Page.objects.filter(pk=self.parent_page.pk)).exists():
        if self.request.resolver_match and self.request.resolver_match.kwargs.get("parent_page_id"):
            raise Http404
        self.parent_page = Page.get_first_root_node().specific
    return _browse_object_list(self)


chooser.BrowseView.get_object_list = _browse_visible_parent

_chosen_multiple_get = chooser.ChosenMultipleView.get


def _chosen_multiple_visible(self, request):
    visible = pages_visible_to(request.user, Page.objects.filter(pk__in=_digits(request.GET.getlist("id"))))
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
    request.GET = query
    live_titles = dict(
        Page.objects.filter(pk__in=visible.values("pk"))
        .exclude(pk__in=_explorable_ids(request.user, list(visible)))
        .values_list("pk", "title")
    )
    render = self.render_chosen_response

    def render_with_live_titles(result):
        for item in result:
            item["adminTitle"] = live_titles.get(item["id"], item["adminTitle"])
        return render(result)

    self.render_chosen_response = render_with_live_titles
    return _chosen_multiple_get(self, request)


chooser.ChosenMultipleView.get = _chosen_multiple_visible

_chooser_table_context = chooser.PageChooserTable.get_context_data


def _chooser_table_with_live_titles(self, parent_context):
    show_live_titles(parent_context["request"].user, self.data)
    return _chooser_table_context(self, parent_context)


chooser.PageChooserTable.get_context_data = _chooser_table_with_live_titles


def _digits(values):
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 11]


_actionable_objects = BulkAction.get_actionable_objects


def _actionable_objects_without_hidden(self):
    # Items the user may not act on are listed by title; keep only pages the user may see, and
    # answer like a missing id when nothing is left.
    objects, extra = _actionable_objects(self)
    refused = extra.get("items_with_no_access", [])
    if isinstance(self, PageBulkAction) and refused:
        visible = _explorable_ids(self.request.user, refused)
        refused = [page for page in refused if page.pk in visible]
    else:
        refused = []
    if not objects and not refused:
        raise Http404
    return objects, {**extra, "items_with_no_access": refused}


BulkAction.get_actionable_objects = _actionable_objects_without_hidden


# --- Editor -----------------------------------------------------------------------------------

register_form_field_override(models.DateTimeField, override=DATETIME_FIELD)
register_form_field_override(models.DateField, override=DATE_FIELD)
register_form_field_override(models.TimeField, override=TIME_FIELD)
# Plain text boxes only (Wagtail's own rule for this widget): rich text fields subclass TextField.
register_form_field_override(models.TextField, override=TEXT_FIELD, exact_class=True)
register_form_field_override(TaggableManager, override=tag_field)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))


@hooks.register("insert_global_admin_js")
def dates_stay_as_typed_js():
    """Not deferred: it sets the date pickers' defaults before the forms below create them."""
    return format_html('<script src="{}"></script>', static("cms/admin-dates.js"))


@hooks.register("insert_editor_js")
def character_counter_js():
    """Shows “123 / 300 characters” under every text box with a limit (the summaries), and how many
    too many when over it."""
    return format_html('<script src="{}" defer></script>', static("cms/character-count.js"))


@hooks.register("insert_editor_js")
def item_titles_js():
    """Names each row of a list of items (menu items, ticket prices…) in its heading (cms/panels.py)."""
    return format_html('<script src="{}" defer></script>', static("cms/item-titles.js"))
