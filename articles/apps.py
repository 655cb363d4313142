from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

from articles.db import ensure_span_triggers


def _span_triggers(sender, using: str = "default", **kwargs) -> None:
    ensure_span_triggers(using)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self) -> None:
        post_migrate.connect(_span_triggers, sender=self)
        from articles.figures import row_changed

        # Any saved or deleted row of the content apps makes kept reader pages out of date.
        post_save.connect(row_changed, dispatch_uid="content-generation-save")
        post_delete.connect(row_changed, dispatch_uid="content-generation-delete")
