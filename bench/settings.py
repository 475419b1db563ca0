"""`make bench`'s server: production's settings, with Wagtail's REST API v2 beside GraphQL to
compare with (bench/urls.py, bench/rest_api.py). bench/run.py starts every server with these."""

from cms.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
