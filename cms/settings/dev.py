"""Local development: debug on, GraphiQL on, a throwaway secret."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key"  # noqa: F405, S105
GRAPHIQL_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A frontend running on this machine (e.g. `next dev` on http://localhost:3000) may receive webhooks.
PUBLISH_WEBHOOK_DEV_HOSTS = get_env_list("PUBLISH_WEBHOOK_DEV_HOSTS", "localhost,127.0.0.1,::1")  # noqa: F405
