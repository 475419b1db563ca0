from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project package is an app too, so it owns shared models, hooks and commands."""

    name = "cms"
    verbose_name = "PSG CMS"

    def ready(self):
        from cms import checks, serving, signals  # noqa: F401  (checks and page-serving hooks register themselves)

        signals.connect()

        from cms import lockouts_admin, previews  # noqa: F401  (lockouts_admin registers its admin hook)

        previews.connect()
