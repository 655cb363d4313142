from django.apps import AppConfig
from django.db.models.signals import post_migrate

from articles.db import ensure_span_triggers


def _span_triggers(sender, using: str = "default", **kwargs) -> None:
    ensure_span_triggers(using)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self) -> None:
        post_migrate.connect(_span_triggers, sender=self)
