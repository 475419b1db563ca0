"""Local development: debug on, GraphiQL on, a throwaway secret."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key"  # noqa: F405, S105
GRAPHIQL_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A frontend running on this machine (e.g. `next dev` on http://localhost:3000) may receive webhooks.
PUBLISH_WEBHOOK_DEV_HOSTS = get_env_list("PUBLISH_WEBHOOK_DEV_HOSTS", "localhost,127.0.0.1,::1")  # noqa: F405
# Background tasks (webhook deliveries) run in the server process: `make run` needs no worker.
# TASKS_BACKEND=database queues them for `manage.py db_worker` instead, as production does.
TASKS = tasks_setting(get_env("TASKS_BACKEND", "immediate"))  # noqa: F405
