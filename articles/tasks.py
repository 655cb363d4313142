"""Background work (Django's Tasks API, through the django-tasks backport).

Workers run ``manage.py db_worker``; with ``TASKS_BACKEND=immediate`` (the development
default) a task runs at once in the process that queues it.
"""

from __future__ import annotations

from django_tasks import task

from articles import importing


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
