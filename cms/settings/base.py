"""Settings shared by every environment; environment-specific files override what differs."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

from cms.env import email_settings, get_env, get_env_bool, get_env_float, get_env_int, get_env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Core -------------------------------------------------------------------------------------

DEBUG = False
# True only in cms/settings/production.py; the checks in cms/checks.py key on it, not on DEBUG.
PRODUCTION = False
SECRET_KEY = get_env("SECRET_KEY", "")
ALLOWED_HOSTS = get_env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "cms",
    "api",
    "home",
    "news",
    "events",
    "formpages",
    "webhooks",
    "django_tasks",
    "django_tasks_db",
    "graphene_django",
    "wagtail_headless_preview",
    "corsheaders",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.apps.UsersConfig",  # Wagtail's users app, with PSG's groups explained (cms/user_admin.py)
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
    # A disallowed Host or too many parameters on /graphql/: the API's JSON 400 even with DEBUG on
    # (api/malformed_requests.py).
    "api.malformed_requests.GraphQLBadRequestMiddleware",
    # Before whitenoise, so static files carry it too (api/resource_policy.py).
    "api.resource_policy.CrossOriginResourcePolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.cors.ApiCorsMiddleware",
    # Right after CORS so a 429 still carries CORS headers (see api/ratelimit.py).
    "api.ratelimit.RateLimitMiddleware",
    # NUL or non-UTF-8 in the URL: 400 before any view (api/malformed_requests.py).
    "api.malformed_requests.MalformedRequestMiddleware",
    "api.graphql.view.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's RedirectMiddleware, minus redirects to pages anonymous visitors may not see.
    "api.serving.PublicRedirectMiddleware",
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
# What must not be forgotten under memory pressure (rate-limit counters, the per-client budget of
# new cache entries) lives apart from cached answers, in the "state" alias: a Redis with
# `maxmemory-policy noeviction` (STATE_REDIS_URL), while the cache Redis may evict (allkeys-lru).
# Without STATE_REDIS_URL the state shares REDIS_URL's Redis (evictable: see docs/deploy.md).
STATE_REDIS_URL = get_env("STATE_REDIS_URL", REDIS_URL)
CACHES = {
    "default": (
        {"BACKEND": "cms.internals.django_redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "psg"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
    ),
    "state": (
        {
            "BACKEND": "cms.internals.django_redis.RedisCache",
            "LOCATION": STATE_REDIS_URL,
            "KEY_PREFIX": "psg-state",
        }
        if STATE_REDIS_URL
        # Counters are tiny and short-lived: room for many clients before local memory culls any.
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "state",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

# --- Auth -------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
# British English only, in the admin too: dates are read day first (10/12/2026 is 10 December), and
# a user who picked US English in their account would have the same text read as 12 October.
LANGUAGES = [("en-gb", "English (UK)")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# PSG works in Europe/London: event times are entered and served in London time, by everyone.
TIME_ZONE = "Europe/London"
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True
# Dates and times typed and shown as DD/MM/YYYY HH:MM, 24-hour: the admin's date pickers write and
# read these; Django's display formats for en-gb are set to match in cms/formats/en_GB/formats.py.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
FORMAT_MODULE_PATH = ["cms.formats"]

# --- Static and media -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(get_env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(get_env("MEDIA_ROOT", str(BASE_DIR / "media")))
# How long browsers and CDNs may reuse a public rendition or document; a collection restricted
# later hides its files from caches after at most this long (api/media.py).
MEDIA_CACHE_MAX_AGE = get_env_int("MEDIA_CACHE_MAX_AGE", 3600)
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
# The admin's pages ask no other host for anything unless configured: avatars come from Gravatar
# only with WAGTAIL_GRAVATAR_PROVIDER_URL set (e.g. https://www.gravatar.com/avatar), and Wagtail
# checks releases.wagtail.org for a newer version only with WAGTAIL_ENABLE_UPDATE_CHECK=true.
WAGTAIL_GRAVATAR_PROVIDER_URL = get_env("WAGTAIL_GRAVATAR_PROVIDER_URL", "") or None
WAGTAIL_ENABLE_UPDATE_CHECK = get_env_bool("WAGTAIL_ENABLE_UPDATE_CHECK", False)

# --- Headless: frontend, GraphQL, CORS --------------------------------------------------------

# The separately hosted public site; rich-text links and previews point there.
FRONTEND_URL = get_env("FRONTEND_URL", "").rstrip("/")

# Renditions the API may hand out: each crop (the original's shape, or a fixed aspect ratio cut
# around the focal point) at each width, in the upload's own format and in each of IMAGE_FORMATS.
# Anything else is refused, so clients cannot make the server generate arbitrary image sizes.
# All of them are made when an image is saved or a page using it is published (api/renditions.py).
IMAGE_WIDTHS = [400, 800, 1200, 1600]
IMAGE_CROPS: dict[str, tuple[int, int] | None] = {"original": None, "landscape": (4, 3), "wide": (16, 9)}
# Modern formats made beside the upload's own (JPEG, PNG, GIF), with their encoder quality.
IMAGE_FORMATS = {"avif": 60, "webp": 80}
ALLOWED_IMAGE_FILTERS = [
    f"fill-{width}x{width * ratio[1] // ratio[0]}" if ratio else f"width-{width}"
    for ratio in IMAGE_CROPS.values()
    for width in IMAGE_WIDTHS
]
# Where API image URLs point: a CDN host in front of the media (e.g. https://media.example.org).
# Unset, they are on WAGTAILADMIN_BASE_URL, never on whichever host the request named.
MEDIA_BASE_URL = get_env("MEDIA_BASE_URL", "").rstrip("/")

# The apps whose page models the API serves (api.graphql.page_types), in the order the schema lists
# their types.
GRAPHQL_PAGE_APPS = ["home", "news", "events", "formpages"]
GRAPHENE = {"SCHEMA": "api.graphql.schema.schema"}
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
    # Fields once every fragment spread is expanded: only fragments spread many times reach it.
    "MAX_FIELDS": get_env_int("GRAPHQL_MAX_FIELDS", 2_000),
    # Introspection (`__schema`, `__type` and fragments on `__Type`…) is counted apart from the two
    # above: the standard introspection queries of GraphiQL, Apollo Sandbox and graphql-codegen nest
    # 15 levels and select about 200 fields. graphql-core's MaxIntrospectionDepthRule also refuses
    # `fields`/`interfaces`/`possibleTypes`/`inputFields` nested 3 deep, the costly cycles.
    "MAX_INTROSPECTION_DEPTH": get_env_int("GRAPHQL_MAX_INTROSPECTION_DEPTH", 20),
    "MAX_INTROSPECTION_FIELDS": get_env_int("GRAPHQL_MAX_INTROSPECTION_FIELDS", 500),
    # `types`, `fields`, `args`…: each multiplies the answer. The standard queries select 9, so the
    # schema's description (~90 KB) can be asked for about once a request, not twenty times.
    "MAX_INTROSPECTION_LISTS": get_env_int("GRAPHQL_MAX_INTROSPECTION_LISTS", 12),
    # Fields answering under one response path (`{ a a a }`, or fragments selecting the same field):
    # the spec's field-merging check compares every two of them.
    "MAX_REPEATS": get_env_int("GRAPHQL_MAX_REPEATS", 20),
}
API_MAX_PAGE_SIZE = 50
API_MAX_SEARCH_LENGTH = 100
# Anonymous answers are kept whole in the cache until content changes (api/graphql/response_cache.py);
# GET answers tell browsers and CDNs they may reuse them for GRAPHQL_CACHE_MAX_AGE seconds.
GRAPHQL_RESPONSE_CACHE = get_env_bool("GRAPHQL_RESPONSE_CACHE", True)
GRAPHQL_CACHE_MAX_AGE = get_env_int("GRAPHQL_CACHE_MAX_AGE", 60)
GRAPHQL_CACHE_STALE_WHILE_REVALIDATE = get_env_int("GRAPHQL_CACHE_STALE_WHILE_REVALIDATE", 300)
# Answers bigger than this are sent but not kept. Each client address may add at most
# GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES answers per RATE_LIMIT_WINDOW (0: no bound); past that its
# answers are sent but not kept. See docs/security.md for the memory this bounds.
GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES = get_env_int("GRAPHQL_RESPONSE_CACHE_MAX_ENTRY_BYTES", 262_144)
GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES = get_env_int("GRAPHQL_RESPONSE_CACHE_CLIENT_ENTRIES", 100)
# Persisted queries (api/graphql/persisted.py, docs/security.md): "auto" runs any query and lets
# clients register theirs by hash (Apollo's automatic persisted queries), kept in the cache for
# GRAPHQL_PERSISTED_QUERY_TTL seconds; "allowlist" runs only the operations loaded from the
# frontend's build (`manage.py load_persisted_queries`); "off" answers hashes as unsupported.
GRAPHQL_PERSISTED_QUERIES = get_env("GRAPHQL_PERSISTED_QUERIES", "auto").lower()
if GRAPHQL_PERSISTED_QUERIES not in {"off", "auto", "allowlist"}:
    raise ImproperlyConfigured(
        f"GRAPHQL_PERSISTED_QUERIES must be off, auto or allowlist, got {GRAPHQL_PERSISTED_QUERIES!r}."
    )
GRAPHQL_PERSISTED_QUERY_TTL = get_env_int("GRAPHQL_PERSISTED_QUERY_TTL", 86_400)

# Seconds a preview link works for.
PREVIEW_TOKEN_MAX_AGE = get_env_int("PREVIEW_TOKEN_MAX_AGE", 3600)
WAGTAIL_HEADLESS_PREVIEW = {
    # The preview URL is built by BasePage.get_client_root_url from FRONTEND_URL.
    "CLIENT_URLS": {"default": ""},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}

# Anonymous requests to every public view are limited per client address (api/ratelimit.py chooses
# by the resolved view, not the path); staff signed in to the admin are exempt. Counters live in the
# "state" cache: Redis when STATE_REDIS_URL (or REDIS_URL) is set.
RATE_LIMIT_ENABLED = get_env_bool("RATE_LIMIT_ENABLED", True)
RATE_LIMIT_REQUESTS = get_env_int("RATE_LIMIT_REQUESTS", 300)
RATE_LIMIT_WINDOW = get_env_int("RATE_LIMIT_WINDOW", 60)
# A GraphQL answer that took this much CPU or more counts as one more request per such share
# (api/ratelimit.py, `charge_for_cpu`): the limit then bounds a client's CPU, not only its requests.
RATE_LIMIT_CPU_MS_PER_REQUEST = get_env_int("RATE_LIMIT_CPU_MS_PER_REQUEST", 200)
# Deprecated: extra path prefixes (after SCRIPT_NAME) counted with the API; the views need none.
RATE_LIMIT_PATHS = get_env_list("RATE_LIMIT_PATHS", "")
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
# The library's defaults, and X-Request-ID: a browser client may send its own id to quote (it is echoed).
CORS_ALLOW_HEADERS = (*default_headers, "x-request-id")
# Who may frame /embed/news/ (its Content-Security-Policy frame-ancestors): any site by default.
EMBED_FRAME_ANCESTORS = get_env("EMBED_FRAME_ANCESTORS", "*")

# --- Background tasks (django-tasks) -------------------------------------------------------------

# Webhook deliveries run on the "webhooks" backend, chosen by TASKS_BACKEND. "database": queued in
# the database and run by `manage.py db_worker --backend webhooks` (`make worker`, the compose
# `worker` service), so pending deliveries and retries survive restarts. "immediate": run at once in
# the process that queues them, no worker needed (development and tests); a retry then follows its
# failed attempt without the backoff (webhooks/tasks.py). Wagtail's own tasks (the search and
# reference indexes) stay on "default", immediate: they finish before the editor's request returns,
# so search and "what links here" are current for the very next request, worker or not.
WEBHOOK_TASKS = "webhooks"
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(backend):
    """TASKS for one of TASK_BACKENDS, named as in the TASKS_BACKEND variable."""
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, got {backend!r}."
        )
    return {
        "default": {"BACKEND": TASK_BACKENDS["immediate"]},
        WEBHOOK_TASKS: {"BACKEND": TASK_BACKENDS[backend]},
    }


TASKS = tasks_setting(get_env("TASKS_BACKEND", "database"))

# --- Forms readers send through the API (api/forms/, docs/frontend.md "Forms") -----------------

# Where submissions are emailed when the site's settings give no contact email.
FORMS_NOTIFY_EMAIL = get_env("FORMS_NOTIFY_EMAIL", "")
# Answers sent sooner than this after the form was handed out (its token) are dropped as automated.
FORMS_MIN_FILL_SECONDS = get_env_float("FORMS_MIN_FILL_SECONDS", 3.0)
# A form's token works this long; after, the reader is asked to reload the form.
FORMS_TOKEN_MAX_AGE = get_env_int("FORMS_TOKEN_MAX_AGE", 86_400)
# Submissions per client address (or API key) per RATE_LIMIT_WINDOW, on a counter of their own.
FORMS_RATE_LIMIT_SUBMISSIONS = get_env_int("FORMS_RATE_LIMIT_SUBMISSIONS", 5)
# Most answers one submission may carry, and the longest answer (also the multi-line fields' limit).
FORMS_MAX_VALUES = get_env_int("FORMS_MAX_VALUES", 100)
FORMS_MAX_VALUE_CHARS = get_env_int("FORMS_MAX_VALUE_CHARS", 5000)
# Optional CAPTCHA: "turnstile" (Cloudflare) or "hcaptcha", checked server-side with the secret.
FORMS_CAPTCHA_PROVIDER = get_env("FORMS_CAPTCHA_PROVIDER", "").lower()
if FORMS_CAPTCHA_PROVIDER not in {"", "turnstile", "hcaptcha"}:
    raise ImproperlyConfigured(
        f"FORMS_CAPTCHA_PROVIDER must be turnstile or hcaptcha (or unset), got {FORMS_CAPTCHA_PROVIDER!r}."
    )
FORMS_CAPTCHA_SITE_KEY = get_env("FORMS_CAPTCHA_SITE_KEY", required=bool(FORMS_CAPTCHA_PROVIDER), default="")
FORMS_CAPTCHA_SECRET = get_env("FORMS_CAPTCHA_SECRET", required=bool(FORMS_CAPTCHA_PROVIDER), default="")
# Emails about submissions are tasks on the "webhooks" backend; a failed send is tried again after
# the backoff, doubled each time, FORMS_EMAIL_MAX_ATTEMPTS times in all.
FORMS_EMAIL_MAX_ATTEMPTS = get_env_int("FORMS_EMAIL_MAX_ATTEMPTS", 5)
FORMS_EMAIL_BACKOFF_SECONDS = get_env_float("FORMS_EMAIL_BACKOFF_SECONDS", 60.0)
# Emails one mailbox gets a day because someone sent a form or registered with its address (form
# confirmations, registration confirmations and reminders; 0: no bound). Counted in the "state" cache.
FORMS_READER_EMAILS_PER_DAY = get_env_int("FORMS_READER_EMAILS_PER_DAY", 5)

# --- Email (Django's email framework; the console in development) ------------------------------

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (smtps:// for SSL on 465), or the
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL variables.
_email = email_settings(get_env("EMAIL_URL", ""))
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _email.get("host") or get_env("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("port") or get_env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("user") or get_env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("password") or get_env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("use_tls", get_env_bool("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = _email.get("use_ssl", get_env_bool("EMAIL_USE_SSL", False))
EMAIL_TIMEOUT = get_env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = get_env("DEFAULT_FROM_EMAIL", "Peru Support Group <webmaster@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Personal data (cms/personal_data.py, docs/privacy.md) ----------------------------------------

# Days form submissions are kept after they are sent (event registrations: after the later of that
# and the event's end); `manage.py purge_expired_submissions`, run daily, deletes the rest.
FORMS_RETENTION_DAYS = get_env_int("FORMS_RETENTION_DAYS", 365)
if FORMS_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"FORMS_RETENTION_DAYS must be at least 1, got {FORMS_RETENTION_DAYS}.")

# --- Publish webhooks (webhooks/, docs/webhooks.md) ---------------------------------------------

# Signed POSTs to these URLs and to the endpoints admins add, after every publish, unpublish, move,
# delete and snippet/settings save.
PUBLISH_WEBHOOK_URLS = get_env_list("PUBLISH_WEBHOOK_URLS", "")
# Standard Webhooks secret, `whsec_<base64>`; any other string is used as raw UTF-8 key bytes.
PUBLISH_WEBHOOK_SECRET = get_env("PUBLISH_WEBHOOK_SECRET", "")
PUBLISH_WEBHOOK_TIMEOUT = get_env_int("PUBLISH_WEBHOOK_TIMEOUT", 5)
PUBLISH_WEBHOOK_MAX_ATTEMPTS = get_env_int("PUBLISH_WEBHOOK_MAX_ATTEMPTS", 5)
# The wait after a failed attempt, doubled after each (1, 2, 4, 8 s between the 5 attempts).
PUBLISH_WEBHOOK_BACKOFF_SECONDS = get_env_float("PUBLISH_WEBHOOK_BACKOFF_SECONDS", 1.0)
# Hosts (names or IP addresses, as written in the URL) that webhooks may reach over plain http and
# at internal addresses: a frontend on the developer's machine. Ignored in production, where setting
# it fails the system checks (cms.E021); everywhere else URLs must be https to public addresses.
PUBLISH_WEBHOOK_DEV_HOSTS = get_env_list("PUBLISH_WEBHOOK_DEV_HOSTS", "")

# --- The HTTP cache tier: Varnish, or a CDN (api/edge_cache.py; docs/deploy.md) ---------------

# Purged after every content change through wagtail.contrib.frontend_cache's backends; each gets
# the URLs of its HOSTNAMES (the CMS's own, WAGTAILADMIN_BASE_URL's, and MEDIA_BASE_URL's, which
# image URLs name; the frontend's, FRONTEND_URL's).
WAGTAILFRONTENDCACHE = {}
_cms_host = urlsplit(WAGTAILADMIN_BASE_URL).netloc
_cms_hosts = list(dict.fromkeys(filter(None, [_cms_host, urlsplit(MEDIA_BASE_URL).netloc])))
FRONTEND_CACHE_VARNISH_URL = get_env("FRONTEND_CACHE_VARNISH_URL", "")
FRONTEND_CACHE_CLOUDFLARE_ZONE_ID = get_env("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID", "")
FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID = get_env("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", "")
if FRONTEND_CACHE_VARNISH_URL:
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "api.edge_cache.VarnishBackend",
        # Its purge listener (docker/varnish/default.vcl), e.g. http://varnish:6091.
        "LOCATION": FRONTEND_CACHE_VARNISH_URL,
        "HOSTNAMES": _cms_hosts,
        # Seconds the editor's save may wait for all its purges.
        "TIMEOUT": get_env_int("FRONTEND_CACHE_VARNISH_TIMEOUT", 2),
    }
if FRONTEND_CACHE_CLOUDFLARE_ZONE_ID:
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": FRONTEND_CACHE_CLOUDFLARE_ZONE_ID,
        # An API token with the zone's Cache Purge permission.
        "BEARER_TOKEN": get_env("FRONTEND_CACHE_CLOUDFLARE_TOKEN", required=True),
        "HOSTNAMES": get_env_list("FRONTEND_CACHE_CLOUDFLARE_HOSTNAMES", ",".join(_cms_hosts)),
    }
if FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID:
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        # Credentials: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role).
        "DISTRIBUTION_ID": FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID,
        "HOSTNAMES": get_env_list("FRONTEND_CACHE_CLOUDFRONT_HOSTNAMES", ",".join(_cms_hosts)),
    }

# --- Admin sign-in: lockouts after wrong passwords (django-axes; cms/login_throttle.py) ---------

INSTALLED_APPS += ["axes"]
# Last: the password-form guard and axes' lockout page wrap the views directly.
MIDDLEWARE += ["cms.password_forms.PasswordFormThrottleMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["cms.login_throttle.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "cms.login_throttle.GrowingLockoutHandler"
# Failures per client address and, separately, per username tried; either reaching the limit locks.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_FAILURE_LIMIT = get_env_int("LOGIN_FAILURE_LIMIT", 10)
# The first lockout; each failure after one ends doubles the next, up to the maximum.
LOGIN_LOCKOUT_SECONDS = get_env_int("LOGIN_LOCKOUT_SECONDS", 60)
LOGIN_LOCKOUT_MAX_SECONDS = get_env_int("LOGIN_LOCKOUT_MAX_SECONDS", 86400)
# Failures are forgotten this long after the last one (or at once, for that username and address,
# on a successful sign-in).
LOGIN_FAILURE_MEMORY_SECONDS = get_env_int("LOGIN_FAILURE_MEMORY_SECONDS", 86400)
AXES_COOLOFF_TIME = "cms.login_throttle.cool_off"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused unchecked and not recorded (no growth of the table).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "cms.login_throttle.client_ip"
AXES_USERNAME_CALLABLE = "cms.login_throttle.attempted_username"
AXES_LOCKOUT_CALLABLE = "cms.login_throttle.lockout_response"
# 429 Too Many Requests: the refusal is about the number of attempts and ends by itself (Retry-After).
AXES_HTTP_RESPONSE_CODE = 429
# Successful sign-ins are not logged with their addresses: Wagtail's own history is enough.
AXES_DISABLE_ACCESS_LOG = True
# Masked in the stored attempts and in log lines (axes adds "password" itself).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password-old_password",
    "password-new_password1",
    "password-new_password2",
    "otp_token",
]

# Two-factor sign-in to the admin (cms/two_factor.py): off, optional (users may add an
# authenticator app; once added it is asked for), or required (every admin user must add one).
ADMIN_2FA = get_env("ADMIN_2FA", "off").lower()
TWO_FACTOR_APPS = ["wagtail_2fa", "django_otp", "django_otp.plugins.otp_totp"]
TWO_FACTOR_MIDDLEWARE = {
    "optional": "cms.two_factor.OptionalTwoFactorMiddleware",
    "required": "cms.two_factor.RequiredTwoFactorMiddleware",
}
if ADMIN_2FA not in {"off", *TWO_FACTOR_MIDDLEWARE}:
    raise ImproperlyConfigured(f"ADMIN_2FA must be off, optional or required, got {ADMIN_2FA!r}.")
# wagtail-2fa asks for the code only when this is on; "optional" relaxes it per user.
WAGTAIL_2FA_REQUIRED = ADMIN_2FA != "off"
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
if ADMIN_2FA != "off":
    INSTALLED_APPS += TWO_FACTOR_APPS
    # After AuthenticationMiddleware (it wraps request.user).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        TWO_FACTOR_MIDDLEWARE[ADMIN_2FA],
    )

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"cms": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
