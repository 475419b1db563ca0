from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project package is an app too, so it owns shared models, hooks and commands."""

    name = "cms"
    verbose_name = "PSG CMS"

    def ready(self):
        from cms import checks, lockouts_admin  # noqa: F401  (system checks and the admin hook register themselves)
