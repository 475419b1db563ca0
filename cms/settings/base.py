"""Settings shared by every environment; environment-specific files override what differs."""

from pathlib import Path

import dj_database_url

from cms.env import get_env, get_env_bool, get_env_int, get_env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Core -------------------------------------------------------------------------------------

DEBUG = False
# True only in cms/settings/production.py; the checks in cms/checks.py key on it, not on DEBUG.
PRODUCTION = False
SECRET_KEY = get_env("SECRET_KEY", "")
ALLOWED_HOSTS = get_env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    # cms first: its ready() makes grapple's generated types safe before the schema is built.
    "cms",
    "home",
    "news",
    "events",
    "grapple",
    "graphene_django",
    "wagtail_headless_preview",
    "corsheaders",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
]

MIDDLEWARE = [
    # First: every later middleware, view and log line sees the request id (cms/request_id.py).
    "cms.request_id.RequestIdMiddleware",
    # Before whitenoise, so static files carry it too (cms/resource_policy.py).
    "cms.resource_policy.CrossOriginResourcePolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.cors.ApiCorsMiddleware",
    # Right after CORS so a 429 still carries CORS headers (see cms/ratelimit.py).
    "cms.ratelimit.RateLimitMiddleware",
    "cms.graphql.view.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

# SQLite in the project is the embedded default so a newcomer needs nothing installed;
# production and CI pass a postgres:// URL (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        get_env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=get_env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A backstop for anything the query limits miss.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={get_env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------

REDIS_URL = get_env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "psg",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
# PSG works in Europe/London: event times are entered and served in London time.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(get_env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(get_env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail ----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Peru Support Group"
WAGTAILADMIN_BASE_URL = get_env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
TAGGIT_CASE_INSENSITIVE = True
# Every image needs a description, which the site uses as alt text (cms/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"

# --- Headless: frontend, GraphQL, CORS --------------------------------------------------------

# The separately hosted public site; rich-text links and previews point there.
FRONTEND_URL = get_env("FRONTEND_URL", "").rstrip("/")

# Renditions the API may hand out. Anything else is refused, so clients cannot make the
# server generate arbitrary image sizes.
ALLOWED_IMAGE_FILTERS = [
    "fill-400x300",
    "fill-800x450",
    "width-400",
    "width-800",
    "width-1200",
    "width-1600",
]

GRAPPLE = {
    "APPS": ["home", "news", "events"],
    "PAGE_INTERFACE": "cms.graphql.interfaces.PageInterface",
    "EXPOSE_GRAPHIQL": False,
    "ADD_SEARCH_HIT": False,
    "ALLOWED_IMAGE_FILTERS": ALLOWED_IMAGE_FILTERS,
    "PAGE_SIZE": 10,
    "MAX_PAGE_SIZE": 50,
}
GRAPHENE = {"SCHEMA": "cms.graphql.schema.schema"}
GRAPHIQL_ENABLED = False
# Introspection feeds codegen; production turns it off unless GRAPHQL_INTROSPECTION says so.
GRAPHQL_INTROSPECTION = get_env_bool("GRAPHQL_INTROSPECTION", True)
GRAPHQL_FIELD_SUGGESTIONS = get_env_bool("GRAPHQL_FIELD_SUGGESTIONS", True)
# Refused with 400/413 before any resolver runs (see docs/security.md).
GRAPHQL_LIMITS = {
    "MAX_BODY_BYTES": get_env_int("GRAPHQL_MAX_BODY_BYTES", 20_000),
    "MAX_QUERY_CHARS": get_env_int("GRAPHQL_MAX_QUERY_CHARS", 10_000),
    "MAX_TOKENS": get_env_int("GRAPHQL_MAX_TOKENS", 2_000),
    "MAX_DEPTH": get_env_int("GRAPHQL_MAX_DEPTH", 10),
    "MAX_ROOT_FIELDS": get_env_int("GRAPHQL_MAX_ROOT_FIELDS", 10),
    "MAX_ALIASES": get_env_int("GRAPHQL_MAX_ALIASES", 20),
}
API_MAX_PAGE_SIZE = 50
API_MAX_SEARCH_LENGTH = 100
# Anonymous answers are kept whole in the cache until content changes (cms/graphql/response_cache.py);
# GET answers tell browsers and CDNs they may reuse them for GRAPHQL_CACHE_MAX_AGE seconds.
GRAPHQL_RESPONSE_CACHE = get_env_bool("GRAPHQL_RESPONSE_CACHE", True)
GRAPHQL_CACHE_MAX_AGE = get_env_int("GRAPHQL_CACHE_MAX_AGE", 60)
GRAPHQL_CACHE_STALE_WHILE_REVALIDATE = get_env_int("GRAPHQL_CACHE_STALE_WHILE_REVALIDATE", 300)

# Seconds a preview link works for.
PREVIEW_TOKEN_MAX_AGE = get_env_int("PREVIEW_TOKEN_MAX_AGE", 3600)
WAGTAIL_HEADLESS_PREVIEW = {
    # The preview URL is built by BasePage.get_client_root_url from FRONTEND_URL.
    "CLIENT_URLS": {"default": ""},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}

# Anonymous requests under these path prefixes are limited per client address (cms/ratelimit.py);
# staff signed in to the admin are exempt. Counters live in the cache: Redis when REDIS_URL is set.
RATE_LIMIT_ENABLED = get_env_bool("RATE_LIMIT_ENABLED", True)
RATE_LIMIT_REQUESTS = get_env_int("RATE_LIMIT_REQUESTS", 300)
RATE_LIMIT_WINDOW = get_env_int("RATE_LIMIT_WINDOW", 60)
RATE_LIMIT_PATHS = get_env_list("RATE_LIMIT_PATHS", "/graphql/,/feeds/,/embed/")
# Proxies (IPs or CIDRs) whose X-Forwarded-For is believed; empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = get_env_list("TRUSTED_PROXIES", "")

# The frontend's origins may send credentials (preview); any other origin may read public answers.
CORS_ALLOWED_ORIGINS = get_env_list("CORS_ALLOWED_ORIGINS", "")
CORS_ALLOWED_ORIGIN_REGEXES = get_env_list("CORS_ALLOWED_ORIGIN_REGEXES", "")  # matched whole
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/(graphql/|feeds/|embed/)"
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 86400
CORS_EXPOSE_HEADERS = ["ETag", "X-Request-ID", "Retry-After"]
# Who may frame /embed/news/ (its Content-Security-Policy frame-ancestors): any site by default.
EMBED_FRAME_ANCESTORS = get_env("EMBED_FRAME_ANCESTORS", "*")

# Publish webhooks (cms/webhooks/, docs/webhooks.md): signed POSTs to these URLs and to the
# endpoints admins add, after every publish, unpublish, move, delete and snippet/settings save.
PUBLISH_WEBHOOK_URLS = get_env_list("PUBLISH_WEBHOOK_URLS", "")
# Standard Webhooks secret, `whsec_<base64>`; any other string is used as raw UTF-8 key bytes.
PUBLISH_WEBHOOK_SECRET = get_env("PUBLISH_WEBHOOK_SECRET", "")
PUBLISH_WEBHOOK_TIMEOUT = get_env_int("PUBLISH_WEBHOOK_TIMEOUT", 5)
PUBLISH_WEBHOOK_MAX_ATTEMPTS = get_env_int("PUBLISH_WEBHOOK_MAX_ATTEMPTS", 5)
PUBLISH_WEBHOOK_BACKOFF_SECONDS = 1.0  # waits 1, 2, 4, 8 s between the 5 attempts
PUBLISH_WEBHOOK_SYNC = False  # True sends inline after commit (tests); production uses the thread

# --- Benchmark (make bench) ---------------------------------------------------------------------

# Wagtail's REST API v2 on /bench-api/v2/ beside GraphQL, for comparison only (bench/rest_api.py).
BENCH_REST_API = get_env_bool("BENCH_REST_API", False)
if BENCH_REST_API:
    INSTALLED_APPS += ["wagtail.api.v2", "rest_framework"]

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"cms": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
