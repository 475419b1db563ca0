from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.graphql.view import graphql_not_found, graphql_view
from api.media import serve_document, serve_rendition
from api.serving import not_found
from api.views import healthz, readyz
from events import urls as events_urls
from news import urls as news_urls

# The public site is the headless frontend; Wagtail's page URLs (mounted last) only redirect there.
urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    # Restricted documents are hidden from whoever they do not let in (api/media.py), and no
    # restricted page or file is ever shown here, so there are no password forms to fill in either.
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    re_path(r"^documents/authenticate_with_password/", not_found),
    re_path(r"^_util/authenticate_with_password/", not_found),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", graphql_view, name="graphql"),
    # A POST to the slash-less URL must not meet APPEND_SLASH's redirect (which drops the body).
    path("graphql", graphql_view),
    # Anything else under /graphql/ is the API's JSON 404 (no redirect, no HTML page).
    re_path(r"^graphql/.", graphql_not_found),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Partner sites: news feeds and embeddable news (docs/partners.md).
    path("feeds/", include(news_urls.feed_urlpatterns)),
    # Calendars: upcoming events to subscribe to, and each event's .ics (docs/frontend.md).
    path("feeds/", include(events_urls.feed_urlpatterns)),
    path("embed/", include(news_urls.embed_urlpatterns)),
    # The cancel links in registration emails (events/views.py).
    path("registrations/", include(events_urls.registration_urlpatterns)),
]

# /graphql/ answers JSON even for errors outside the view (see api.views.server_error).
handler500 = "api.views.server_error"
# A disallowed Host (and Django's other 400s) answers /graphql/ in JSON too.
handler400 = "api.malformed_requests.bad_request"

if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    # Media on local disk: renditions are served by the app so API image URLs work out of the box
    # (api/media.py); a deployment with S3 storage serves them from there instead.
    urlpatterns += [re_path(r"^media/images/(?P<path>[^/]+)$", serve_rendition)]

# Last, as a catch-all: gives pages URLs, so the admin's "View live" and Wagtail's automatic
# redirects on move and rename work; serving a page sends the visitor to the frontend.
urlpatterns += [path("", include(wagtail_urls))]
