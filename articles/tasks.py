"""Background work (Django's Tasks API, through the django-tasks backport).

Workers run ``manage.py db_worker``; with ``TASKS_BACKEND=immediate`` (the development
default) a task runs at once in the process that queues it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename
from django_tasks import task

from articles import importing
from articles.models import ImportBatch

logger = logging.getLogger(__name__)


@task()
def import_batch(batch_id: int) -> dict[str, int] | None:
    """Import a batch the admin upload page queued; returns its totals."""
    batch = importing.import_staged(batch_id)
    if batch is None:
        return None
    return {
        "imported": batch.imported_count,
        "duplicate": batch.duplicate_count,
        "failed": batch.failed_count,
    }


def stage_uploads(files: Iterable, *, user=None) -> ImportBatch:
    """Keep uploads in storage and queue a worker to import them; the batch shows progress.

    If storing any file fails, nothing is queued: the stored files are removed and the batch
    says why, so the admin can upload again.
    """
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.UPLOAD, created_by=user, state=ImportBatch.State.QUEUED
    )
    staged: list[dict] = []
    try:
        for upload in files:
            upload.seek(0)
            name = f"imports/{batch.pk}/{get_valid_filename(PurePosixPath(upload.name).name) or 'upload'}"
            staged.append({"path": default_storage.save(name, upload), "name": upload.name})
    except OSError as exc:
        logger.exception("Could not store the uploads of batch %s", batch.pk)
        importing.remove_staged(staged)
        batch.state = ImportBatch.State.FAILED
        batch.error = f"The uploaded files could not be stored: {exc}"[:2000]
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "error", "finished_at"])
        return batch
    batch.staged = staged
    batch.save(update_fields=["staged"])
    import_batch.enqueue(batch.pk)
    return batch
