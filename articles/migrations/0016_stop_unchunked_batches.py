"""Batches queued before imports were split into chunks cannot be resumed by the new workers:
they are marked stopped (say so, and upload again) and their staged files are removed."""

from django.core.files.storage import default_storage
from django.db import migrations
from django.utils import timezone


def stop_unchunked(apps, schema_editor):
    ImportBatch = apps.get_model("articles", "ImportBatch")
    for batch in ImportBatch.objects.filter(state__in=["queued", "running"]):
        for entry in batch.staged or []:
            try:
                default_storage.delete(entry["path"])
            except (OSError, KeyError):
                pass
        batch.state = "failed"
        batch.error = (
            "This import was queued before imports were split into chunks and was not finished; "
            "please upload its files again."
        )
        batch.staged = []
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "error", "staged", "finished_at"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_import_chunks_and_staging")]

    operations = [migrations.RunPython(stop_unchunked, migrations.RunPython.noop)]
