from django.apps import AppConfig


class AttributionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attributions"
