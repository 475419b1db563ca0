from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project package is an app too, so it owns shared models, hooks and commands."""

    name = "cms"
    verbose_name = "PSG CMS"

    def ready(self):
        from cms import checks, lockouts_admin  # noqa: F401  (system checks and the admin hook register themselves)
        from cms.webhooks import admin, receivers  # noqa: F401  (admin registers its hooks)
        from cms.webhooks import checks as webhook_checks  # noqa: F401  (registers itself)

        receivers.connect()
