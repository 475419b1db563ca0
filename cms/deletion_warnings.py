"""What else goes when an editor deletes a page, said on the confirmation before it happens.

Wagtail's confirmation counts references ("referenced 2 times"). It does not say that a menu link
to the page, or to a page below it, is deleted with it: a live change to the site's navigation with
no version to go back to. Content apps add their own warnings with `warn_on_delete`.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from cms.models import MenuItem


def warn_on_delete(request: HttpRequest, what: str, names: Iterable[str]) -> None:
    """On the delete confirmation (GET), warn that `what` go too: `names` are quoted, in order."""
    quoted = [f"“{name}”" for name in names]
    if request.method == "GET" and quoted:
        listed = ", ".join(quoted[:10]) + (f" and {len(quoted) - 10} more" if len(quoted) > 10 else "")
        messages.warning(
            request, f"Deleting it also removes {what}: {listed}. This is live at once and cannot be undone."
        )


@hooks.register("before_delete_page")
def warn_of_menu_links_going(request: HttpRequest, page: Page) -> None:
    # The page and every page below it: the tree's path is a prefix of its descendants' paths.
    items = MenuItem.objects.filter(page__path__startswith=page.path).select_related("menu", "page")
    names = [f"{item} ({item.menu})" for item in items.order_by("menu__name", "sort_order")]
    noun = "menu link" if len(names) == 1 else f"{len(names)} menu links"
    warn_on_delete(request, f"the {noun}", names)
