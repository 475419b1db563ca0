"""Tests: fast hashing, local-memory cache, media in a temporary directory (set by conftest)."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "state": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "state"},
}
# Rate limiting stays on, high enough that no test trips it by accident (tests/api/test_ratelimit.py
# lowers it).
RATE_LIMIT_REQUESTS = 100_000
# Likewise for the bound on new response-cache entries per client (tests/api/test_response_cache.py).
GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES = 100_000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
FRONTEND_URL = "https://frontend.test"
# The webhook tests' receiver listens on 127.0.0.1 (tests/webhooks/receiver.py); nothing else local.
PUBLISH_WEBHOOK_DEV_HOSTS = ["127.0.0.1"]
# Tasks run where they are queued; tests/webhooks/test_restart.py runs worker processes itself.
TASKS = tasks_setting("immediate")  # noqa: F405
# A page type only tests serve (tests/testapp): a second StreamField, choosers nested in lists.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
# The two-factor apps are installed so their tables exist; their middleware stays off unless a test
# turns a mode on (tests/admin/test_two_factor.py).
if ADMIN_2FA == "off":  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, *TWO_FACTOR_APPS]  # noqa: F405
# Every reuse of a listing's compiled SQL is compiled afresh too and must match (cms/compiled_sql.py).
COMPILED_SQL_VERIFY = True

# SQLite tests use a database file, not Django's in-memory default. A live server (the browser tests)
# serves each request in a thread of its own; with an in-memory database every thread shares the
# test's one connection, so two requests at once (a page and its XHRs) could leave it inside a
# transaction nobody opened, failing the tests after it. With a file each thread has its own
# connection. Durability is not needed here: no fsync.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"psg-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA synchronous=OFF;"
    )
