from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.graphql.view import graphql_view
from cms.views import healthz, readyz

# Wagtail's own page serving is not mounted: the public site is the headless frontend.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", graphql_view, name="graphql"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

# /graphql/ answers JSON even for errors outside the view (see cms.views.server_error).
handler500 = "cms.views.server_error"

if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    # Media on local disk is served by the app so rendition URLs work out of the box;
    # a deployment with S3 storage serves media from there instead.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
