from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    """The project package is an app too, so it owns shared models, hooks and commands."""

    name = "cms"
    verbose_name = "PSG CMS"
    # This module holds more than one app's configuration; this one is the cms app's.
    default = True

    def ready(self):
        from cms import checks, lockouts_admin  # noqa: F401  (system checks and the admin hook register themselves)
        from cms.internals import wagtail_exports

        wagtail_exports.install()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, its Users and Groups screens showing what each PSG group is for."""

    default = False
    user_viewset = "cms.user_admin.UserViewSet"
    group_viewset = "cms.user_admin.GroupViewSet"
