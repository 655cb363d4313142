"""django-tasks-db's worker, plus the import's reaper.

A worker killed with SIGKILL leaves its task "running" for ever and its chunk claimed; this
worker therefore puts such chunks back (``articles.tasks.reap_and_requeue``) when it starts
and then every IMPORT_REAP_SECONDS, in a thread of its own, so that whichever worker is
alive finishes every batch. (This app comes before django_tasks_db in INSTALLED_APPS, so its
command of the same name is the one ``manage.py db_worker`` runs.)
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from articles.tasks import reap_and_requeue

logger = logging.getLogger(__name__)


def reap_once() -> None:
    try:
        count = reap_and_requeue()
        if count:
            logger.warning("Queued %s import chunk(s) of stopped workers again", count)
    except Exception:
        logger.exception("The import reaper failed; it tries again later")
    finally:
        connection.close()  # this thread's own connection


def reap_periodically(stopped: threading.Event, interval: float) -> None:
    while not stopped.wait(interval):
        reap_once()


class Command(db_worker.Command):
    help = (
        "Run a background worker: queued import chunks (and any other task). Also puts back "
        "the chunks of workers that died, at start and every IMPORT_REAP_SECONDS."
    )

    def handle(self, *args, reload: bool, batch: bool, **options) -> None:
        # With --reload the reloading parent only watches files: the child does the work.
        if not (reload and not batch) or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            reap_once()
            stopped = threading.Event()
            reaper = threading.Thread(
                target=reap_periodically,
                args=(stopped, settings.IMPORT_REAP_SECONDS),
                name="import-reaper",
                daemon=True,
            )
            reaper.start()
        super().handle(*args, reload=reload, batch=batch, **options)
