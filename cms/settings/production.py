"""Production: every secret required, HTTPS behind a TLS-terminating proxy."""

from cms.env import get_env, get_env_bool, get_env_int, get_env_list

from .base import *  # noqa: F403

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
SEARCH_HIT_IN_PRODUCTION_ACKNOWLEDGED = get_env_bool("SEARCH_HIT_IN_PRODUCTION_ACKNOWLEDGED", False)
INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED = get_env_bool("INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED", False)
DATABASES["default"]["CONN_MAX_AGE"] = get_env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405
