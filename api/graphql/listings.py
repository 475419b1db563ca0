"""Lists one content app offers to another's pages (the home page's latest news and upcoming events),
so neither imports the other: the providing app registers the list's item type and items by name."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wagtail import hooks

LISTING_HOOK = "register_api_listing"


@dataclass(frozen=True)
class Listing:
    """A named list of public pages, with the GraphQL type of its items."""

    name: str
    # Read when the schema is built, once every page type can be.
    item_type: Callable[[], Any]
    # The first `limit` items anonymous visitors may see, in the list's order.
    items: Callable[[int], Iterable[Any]]


def register_listing(listing: Listing) -> None:
    """Offer `listing` to other apps; call it from the app's wagtail_hooks.py."""
    hooks.register(LISTING_HOOK, lambda: listing)


def listing(name: str) -> Listing:
    """The listing registered under `name`; an error names it if no installed app offers it."""
    for provide in hooks.get_hooks(LISTING_HOOK):
        offered: Listing = provide()
        if offered.name == name:
            return offered
    raise LookupError(f"No installed app registers the listing {name!r} (api.graphql.listings).")
