from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Installed by cms.settings.test only; its page type is in no schema but the one a test builds."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.AutoField"
