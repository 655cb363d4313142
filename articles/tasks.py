"""Background work (Django's Tasks API, through the django-tasks backport and its database queue).

Every chunk of a queued batch is a task of its own, so any number of ``manage.py db_worker``
processes, on any host that reaches the database, share a batch. Their db_worker (this app's
override of django-tasks-db's) also runs ``reap_and_requeue`` when it starts and then every
IMPORT_REAP_SECONDS: django-tasks-db leaves the task of a killed worker "running" for ever, so
putting its chunk back is ours to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from articles import importing, staging
from articles.models import ImportBatch, ImportChunk

logger = logging.getLogger(__name__)

ChunkState = ImportChunk.State


@task()
def import_chunk(chunk_id: int) -> dict[str, int] | None:
    """Import one chunk of a batch; returns what became of its files (None: nothing to do)."""
    with importing.stopping_after_current_file():
        report = importing.process_chunk(chunk_id)
    if report is None or report.lost:
        return None
    if report.stopped:  # asked to stop: the rest of the chunk waits for another worker
        queue_chunks(ImportChunk.objects.filter(pk=chunk_id, state=ChunkState.PENDING))
    statuses = [outcome.status for outcome in report.outcomes]
    return {status: statuses.count(status) for status in ("imported", "duplicate", "failed")}


def queue_chunks(chunks: Iterable[ImportChunk]) -> int:
    """A task for each chunk (after the current transaction commits, if there is one)."""
    count = 0
    for chunk in chunks:
        result = import_chunk.enqueue(chunk.pk)
        ImportChunk.objects.filter(pk=chunk.pk).update(task_id=str(result.id))
        count += 1
    return count


def queue_batch(batch: ImportBatch) -> int:
    """Queue every chunk of a planned batch (its files already staged where workers read them)."""
    return queue_chunks(ImportChunk.objects.filter(batch=batch, state=ChunkState.PENDING).only("pk"))


def reap_and_requeue() -> int:
    """Put back the chunks of dead workers and queue them again; mark their tasks failed; queue
    waiting chunks whose task ended or vanished without importing them. Returns how many
    chunks were queued again."""
    dead_tasks: list[str] = []

    def requeue(chunk: ImportChunk) -> None:
        if chunk.task_id:
            dead_tasks.append(chunk.task_id)
        queue_chunks([chunk])

    count = importing.reap(requeue=requeue)
    count += _requeue_orphans(dead_tasks)
    _mark_failed(dead_tasks)
    return count


def _requeue_orphans(dead_tasks: list[str]) -> int:
    """Waiting chunks of queued batches whose task is no longer waiting or running: the task
    failed before it claimed the chunk, was pruned, or its worker died before claiming it."""
    stale = timezone.now() - timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    waiting = ImportChunk.objects.filter(
        state=ChunkState.PENDING,
        batch__mode=ImportBatch.Mode.QUEUE,
        batch__state__in=[ImportBatch.State.QUEUED, ImportBatch.State.RUNNING],
    ).only("pk", "task_id")
    live = {str(pk) for pk in DBTaskResult.objects.filter(status="READY").values_list("pk", flat=True)} | {
        str(pk)
        for pk in DBTaskResult.objects.filter(status="RUNNING", started_at__gte=stale).values_list(
            "pk", flat=True
        )
    }
    orphans = [chunk for chunk in waiting if chunk.task_id not in live]
    for chunk in orphans:
        if chunk.task_id:
            dead_tasks.append(chunk.task_id)
    with transaction.atomic():
        return queue_chunks(orphans)


def _mark_failed(task_ids: list[str]) -> None:
    """A dead worker's task says so, instead of "running" for ever."""
    if task_ids:
        DBTaskResult.objects.filter(pk__in=task_ids, status="RUNNING").update(
            status="FAILED",
            finished_at=Now(),
            exception_class_path="articles.importing.WorkerLost",
            traceback="The worker running this task stopped renewing its lease (killed or lost); "
            "the chunk was queued again.",
        )


def accept_uploads(files: Iterable, *, user=None, encoding: str = "") -> ImportBatch:
    """Stage an admin's uploads (in the database by default), plan the batch from the files'
    expanded sizes, then import it here and now if that is a second's work, or queue its chunks
    for the workers. If the files cannot be stored, nothing is queued and the batch says why."""
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.UPLOAD,
        mode=ImportBatch.Mode.QUEUE,
        created_by=user,
        encoding=encoding,
        state=ImportBatch.State.QUEUED,
    )
    entries: list = []
    try:
        for upload in files:
            if staging.is_zip(upload.name, upload):
                staged = staging.stage(batch, upload, upload.name)
                upload.seek(0)
                entries.extend(staging.list_zip(upload, upload.name, {"upload": staged.pk}))
            elif upload.size > staging.max_file_bytes():
                entries.append(staging.too_big(upload.name, upload.size))
            else:
                staged = staging.stage(batch, upload, upload.name)
                entries.append({"upload": staged.pk, "name": upload.name, "size": upload.size})
    except (OSError, DatabaseError) as exc:
        logger.exception("Could not store the uploads of batch %s", batch.pk)
        importing.fail_batch(batch.pk, f"The uploaded files could not be stored: {exc}")
        batch.refresh_from_db()
        return batch
    return _start(importing.plan(entries, origin=batch.origin, batch=batch))


def rerun(choices: list[tuple], *, user=None) -> ImportBatch:
    """A new batch of kept files, each read in the encoding chosen for it."""
    entries = [
        {"held": kept.pk, "encoding": encoding, "name": kept.file.name, "size": kept.file.size}
        for kept, encoding in choices
    ]
    return _start(importing.plan(entries, origin=ImportBatch.Origin.RERUN, user=user))


def _start(batch: ImportBatch) -> ImportBatch:
    """Import a small batch now (within the request: IMPORT_INLINE_MAX_BYTES of expanded text,
    about a second's work), queue any other for the workers."""
    if batch.state == ImportBatch.State.QUEUED:
        small = (
            batch.total_bytes <= settings.IMPORT_INLINE_MAX_BYTES
            and batch.total_files <= settings.IMPORT_INLINE_MAX_FILES
        )
        if small:
            try:
                importing.work_on(batch.pk)
            except Exception:  # whatever went wrong, the workers finish it: never a 500
                logger.exception("Importing batch %s inline failed; queued for the workers", batch.pk)
                queue_batch(batch)
        else:
            queue_batch(batch)
    batch.refresh_from_db()
    return batch
