"""What the batch page (and the command) say about a batch while it runs: files done of how
many, files per second and MB per second since it started, the time left at that pace, and
whether any worker is on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html

from articles.models import ImportBatch, ImportChunk


@dataclass
class Progress:
    batch: ImportBatch
    done: int
    total: int
    files_per_second: float | None
    bytes_per_second: float | None
    seconds_left: float | None
    stalled: bool  # in progress, but no worker holds a chunk and nothing moved for a while

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100

    @property
    def eta(self) -> str:
        if self.seconds_left is None:
            return ""
        return str(timedelta(seconds=round(self.seconds_left)))

    def summary(self) -> str:
        batch = self.batch
        text = f"{self.done:,} of {self.total:,} file{'s' if self.total != 1 else ''} done"
        if batch.state == ImportBatch.State.QUEUED and not self.stalled:
            return f"{text}; waiting for a worker"
        if batch.state == ImportBatch.State.INTERRUPTED:
            return f"{text}; interrupted: `manage.py import_articles --resume {batch.pk}` imports the rest"
        if self.files_per_second is not None and batch.in_progress:
            text += f"; {self.files_per_second:,.1f} files/s, {filesizeformat(self.bytes_per_second)}/s"
            if self.eta:
                text += f", about {self.eta} left"
        return text

    def html(self) -> str:
        warning = ""
        if self.stalled:
            warning = format_html(
                '<p class="errornote import-stalled">No worker is running: nothing has moved for {}. '
                "Start one with <code>manage.py db_worker</code> (README: “Workers”).</p>",
                timedelta(seconds=settings.IMPORT_STALLED_SECONDS),
            )
        return format_html(
            '<progress class="import-progress" max="{}" value="{}">{}%</progress> '
            '<span class="import-summary">{}</span>{}',
            max(self.total, 1),
            self.done,
            self.percent,
            self.summary(),
            warning,
        )


def describe(batch: ImportBatch) -> Progress:
    now = timezone.now()
    done = batch.total_count
    total = max(batch.total_files, done)
    files_rate = bytes_rate = left = None
    if batch.started_at and done:
        elapsed = max(((batch.finished_at or now) - batch.started_at).total_seconds(), 0.001)
        files_rate = done / elapsed
        bytes_rate = batch.done_bytes / elapsed
        if batch.in_progress and files_rate:
            left = (total - done) / files_rate
    stalled = False
    if batch.in_progress:
        moved = batch.last_progress_at or batch.started_at or batch.created_at
        quiet = (now - moved).total_seconds() > settings.IMPORT_STALLED_SECONDS
        held = ImportChunk.objects.filter(
            batch=batch, state=ImportChunk.State.CLAIMED, lease_until__gt=now
        ).exists()
        stalled = quiet and not held
    return Progress(batch, done, total, files_rate, bytes_rate, left, stalled)
