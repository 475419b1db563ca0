"""What the admin tells editors about the forms on pages: a form that sends readers to a page no
longer published. Registered by api/wagtail_hooks.py; form pages are found by the mixin."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from api.forms.pages import FormPageMixin, redirect_target_is_public


@hooks.register("before_edit_page")
def warn_of_a_redirect_to_no_page(request: HttpRequest, page: Page) -> None:
    # Saving refuses a new path to no page, but the page it named may have been unpublished or
    # deleted since; the form still saves and publishes (so nothing else is held up), and says so.
    if request.method != "GET":
        return
    draft: Any = page.get_latest_revision_as_object()
    if not isinstance(draft, FormPageMixin):
        return
    path = draft.redirect_path
    if path and not redirect_target_is_public(path):
        messages.warning(
            request,
            f"Redirect path: no published page has the path {path} any more, so readers who send "
            "this form are taken to a page that does not exist. Give another page's path under "
            "“After the form is sent”, or leave it blank to keep them on the form's page.",
        )
