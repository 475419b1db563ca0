"""The site's URLs (cms/urls.py) with Wagtail's REST API v2 on /bench-api/v2/ (bench/rest_api.py)."""

from django.urls import URLPattern, URLResolver, path

from bench.rest_api import api_router
from cms import urls as site_urls

handler400 = site_urls.handler400
handler500 = site_urls.handler500

# Before the site's own, which end with Wagtail's catch-all for page URLs.
urlpatterns: list[URLPattern | URLResolver] = [
    path("bench-api/v2/", api_router.urls),
    *site_urls.urlpatterns,
]
