# Rows are repaired in their own migration: on PostgreSQL, updated rows with deferred
# foreign-key checks pending would block the ALTER TABLE that adds the constraints.

from django.conf import settings
from django.db import migrations, models


def repair_rows(apps, schema_editor):
    """Make existing rows meet the new constraints before they are added.

    Half-recorded spans are cleared, and where a statement has several confirmed
    attributions of one role, the most recently reviewed stays confirmed and the others
    become rejected (the editor's last word wins, as it did on the pages).
    """
    Attribution = apps.get_model("attributions", "Attribution")
    Attribution.objects.filter(mention_start__isnull=True).update(mention_end=None)
    Attribution.objects.filter(mention_end__isnull=True).update(mention_start=None)
    Attribution.objects.filter(cue_start__isnull=True).update(cue_end=None)
    Attribution.objects.filter(cue_end__isnull=True).update(cue_start=None)
    duplicates = (
        Attribution.objects.filter(status="confirmed")
        .values("statement_id", "role")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
    )
    for group in duplicates:
        confirmed = Attribution.objects.filter(
            status="confirmed", statement_id=group["statement_id"], role=group["role"]
        ).order_by(models.F("reviewed_at").desc(nulls_last=True), "-pk")
        keep = confirmed.first()
        confirmed.exclude(pk=keep.pk).update(status="rejected")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_import_batch_state'),
        ('attributions', '0002_editors_group'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(repair_rows, migrations.RunPython.noop),
    ]
