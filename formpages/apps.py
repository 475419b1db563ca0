from django.apps import AppConfig


class FormPagesConfig(AppConfig):
    name = "formpages"
    verbose_name = "form pages"
