"""Production: every secret required, HTTPS behind a TLS-terminating proxy."""

from cms.env import get_env, get_env_bool, get_env_int, get_env_list

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
PRODUCTION = True
SECRET_KEY = get_env("SECRET_KEY", required=True)
get_env("ALLOWED_HOSTS", required=True)
ALLOWED_HOSTS = get_env_list("ALLOWED_HOSTS")
get_env("DATABASE_URL", required=True)

# The proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = get_env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = get_env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = get_env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is decided for the whole registrable domain (the charity's, not this CMS's
    # subdomain) and is hard to undo, so it is opt-in; without it, security.W021 is expected.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = get_env_list(
    "CSRF_TRUSTED_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS if "*" not in h)
)
X_FRAME_OPTIONS = "DENY"
GRAPHQL_INTROSPECTION = get_env_bool("GRAPHQL_INTROSPECTION", False)
GRAPHQL_FIELD_SUGGESTIONS = get_env_bool("GRAPHQL_FIELD_SUGGESTIONS", False)
# cms/checks.py refuses these switches on in production unless acknowledged here (cms.E001–E004).
DEBUG_IN_PRODUCTION_ACKNOWLEDGED = get_env_bool("DEBUG_IN_PRODUCTION_ACKNOWLEDGED", False)
GRAPHIQL_IN_PRODUCTION_ACKNOWLEDGED = get_env_bool("GRAPHIQL_IN_PRODUCTION_ACKNOWLEDGED", False)
INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED = get_env_bool("INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED", False)
DATABASES["default"]["CONN_MAX_AGE"] = get_env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405

# --- Media on S3-compatible storage (django-storages) when a bucket is named -------------------
# Without a bucket, media stays on local disk (MEDIA_ROOT; a shared volume with several app servers).
AWS_STORAGE_BUCKET_NAME = get_env("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                # Empty: AWS itself; set for MinIO, Cloudflare R2, Scaleway, DigitalOcean Spaces…
                "endpoint_url": get_env("AWS_S3_ENDPOINT_URL", "") or None,
                "region_name": get_env("AWS_S3_REGION_NAME", "") or None,
                # Empty: boto3's own chain (instance role, ~/.aws, AWS_* variables).
                "access_key": get_env("AWS_ACCESS_KEY_ID", "") or None,
                "secret_key": get_env("AWS_SECRET_ACCESS_KEY", "") or None,
                # The CDN host in front of the bucket; file URLs point there.
                "custom_domain": get_env("AWS_S3_CUSTOM_DOMAIN", "") or None,
                "location": get_env("AWS_LOCATION", ""),
                # Signed, expiring URLs (a private bucket) instead of plain public ones.
                "querystring_auth": get_env_bool("AWS_QUERYSTRING_AUTH", False),
                "file_overwrite": False,
                # Not `immutable`: an image may move into a restricted collection (api/media.py).
                "object_parameters": {"CacheControl": f"public, max-age={MEDIA_CACHE_MAX_AGE}"},  # noqa: F405
            },
        },
    }
    # Documents always go through Wagtail's view, which checks collection privacy, and are
    # streamed from the bucket rather than redirected to it.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Logging: one JSON object per line on stdout, with the request id ---------------------------
LOG_LEVEL = get_env("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cms.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "cms.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "cms": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "webhooks": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # The worker's own lines (task started, finished, failed with its traceback).
        "django_tasks": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "wagtail": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
