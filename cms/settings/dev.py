"""Local development: debug on, GraphiQL on, a throwaway secret."""

from .base import *  # noqa: F403
from .base import GRAPPLE

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key"  # noqa: F405, S105
GRAPHIQL_ENABLED = True
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": True}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
