"""What the home app adds to the API and the admin."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from api.graphql.registry import register_root_query
from cms.deletion_warnings import warn_on_delete
from home.models import HomePageFeaturedPage
from home.schema import HomeQuery

register_root_query(HomeQuery, order=30)


@hooks.register("before_delete_page")
def warn_of_featured_slots_going(request: HttpRequest, page: Page) -> None:
    featured = HomePageFeaturedPage.objects.filter(page__path__startswith=page.path).select_related("page")
    names = [slot.page.title for slot in featured.order_by("sort_order")]
    noun = "featured slot" if len(names) == 1 else f"{len(names)} featured slots"
    warn_on_delete(request, f"the home page's {noun}", names)
