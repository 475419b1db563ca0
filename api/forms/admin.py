"""What the admin tells editors about the forms on pages, on the page's own add and edit views: a
form whose answers reach nobody at PSG, and one that sends readers to a page no longer published.
Registered by api/wagtail_hooks.py; form pages are found by the mixin."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from api.forms.emails import notification_recipients
from api.forms.pages import FormPageMixin, redirect_target_is_public

SITE_SETTINGS_PERMISSION = "cms.change_sitesettings"


def emails_psg(page_class: type[Page]) -> bool:
    """Whether PSG is emailed each answer sent on pages of this type: the default handling of a
    submission does it; a type that owns the outcome (an event's registrations) sends its own."""
    return issubclass(page_class, FormPageMixin) and (
        page_class.accept_submission is FormPageMixin.accept_submission
    )


def _warn_if_answers_reach_nobody(request: HttpRequest, page_in_site: Page) -> None:
    site = page_in_site.get_site()
    if site is None or notification_recipients(page_in_site):
        return
    if request.user.has_perm(SITE_SETTINGS_PERMISSION):
        url = reverse("wagtailsettings:edit", args=["cms", "sitesettings", site.pk])
        buttons = [messages.button(url, "Set the contact email")]
        who = "Set one"
    else:
        buttons, who = [], "Ask a Moderator to set one"
    messages.warning(
        request,
        "Nobody at PSG is emailed when readers send this form: Settings → Site settings has no "
        f"contact email. The answers are still kept under Forms. {who} so that someone is told.",
        buttons=buttons,
    )


@hooks.register("before_create_page")
def warn_on_a_new_form(request: HttpRequest, parent_page: Page, page_class: type[Page]) -> None:
    if request.method == "GET" and emails_psg(page_class):
        # A page not yet in the tree: its site is its parent's.
        _warn_if_answers_reach_nobody(request, parent_page)


@hooks.register("before_edit_page")
def warn_on_a_form(request: HttpRequest, page: Page) -> None:
    # Wagtail's edit view hands its hooks the latest revision, as the editor sees it.
    draft: Any = page
    if request.method != "GET" or not isinstance(draft, FormPageMixin):
        return
    if emails_psg(type(draft)):
        _warn_if_answers_reach_nobody(request, page)
    # Saving refuses a new path to no page, but the page it named may have been unpublished or
    # deleted since; the form still saves and publishes (so nothing else is held up), and says so.
    path = draft.redirect_path
    if path and not redirect_target_is_public(path):
        messages.warning(
            request,
            f"Redirect path: no published page has the path {path} any more, so readers who send "
            "this form are taken to a page that does not exist. Give another page's path under "
            "“After the form is sent”, or leave it blank to keep them on the form's page.",
        )
