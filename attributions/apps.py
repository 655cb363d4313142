from django.apps import AppConfig


class AttributionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attributions"

    def ready(self) -> None:
        from attributions import counts  # noqa: F401 (registers the figures readers see)
