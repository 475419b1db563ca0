"""The navigation menu's admin forms: its handle stays as the frontend knows it, and a link's URL is
refused as a URL, not as missing (cms.models.NavigationMenu uses them)."""

from typing import Any

from wagtail.admin.forms.models import WagtailAdminModelForm


class NavigationMenuForm(WagtailAdminModelForm):
    """A menu's form: once the menu exists, only a site administrator may change its handle, which
    the frontend asks for the menu by."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        if self.instance.pk and not (user and user.is_superuser):
            handle = self.fields["handle"]
            handle.disabled = True
            handle.help_text = (
                "How the frontend asks for this menu. Fixed, so the site's navigation does not break; "
                "a site administrator can change it."
            )


MENU_URL_REFUSED = (
    "Not a web address: enter the full address, e.g. https://www.example.org/donate. "
    "For a page of this site, choose it above instead."
)


class MenuItemForm(WagtailAdminModelForm):
    """A menu link's form: a URL that is not a web address is refused as such, not as missing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].error_messages["invalid"] = MENU_URL_REFUSED

    def clean(self) -> dict[str, Any]:
        cleaned_data: dict[str, Any] = super().clean()
        if self.has_error("url"):
            # MenuItem.clean (a page or a URL) runs next and would take the refused URL for none.
            self.instance.url = self.data.get(self.add_prefix("url"), "")
        return cleaned_data
