"""import_articles: the same pipeline as the admin's uploads, from this machine's disk."""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.template.defaultfilters import pluralize
from django.utils.module_loading import import_string
from tqdm import tqdm

from articles import importing, staging
from articles.models import Article, ImportBatch, ImportChunk, ImportFile
from articles.tasks import queue_batch
from articles.text import DecodeError, EncodingUncertain, canonical_encoding, decode, normalise

#: Exit status when the command was interrupted (Ctrl-C), as shells report a SIGINT.
INTERRUPTED = 130
SHOWN_FAILURES = 20


def _child(batch_id: int) -> None:
    """A worker process of ``--workers N`` (forked: it has this process's settings and code)."""
    connections.close_all()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which sends SIGTERM
    importing.stop.clear()
    importing.work_on(batch_id, signals=(signal.SIGTERM,))


class Command(BaseCommand):
    help = (
        "Import article text files: files, folders (recursively; symbolic links leading out of a "
        "folder are refused) and .zip archives, through the same chunked pipeline as the admin's "
        "uploads. Shows a progress bar; Ctrl-C stops after the current file and leaves a batch "
        "that --resume finishes. Exits with status 1 when any file failed. "
        "--replace ARTICLE FILE corrects one article's text instead, as an editor's "
        "“Correct the text” does: its statements follow their words."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="text files, folders or .zip archives")
        parser.add_argument(
            "--workers", type=int, default=1, help="processes importing on this machine (default 1)"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="store the files in the database and queue the batch for the db_worker processes "
            "(on any host), then return",
        )
        parser.add_argument("--resume", type=int, metavar="BATCH", help="finish an interrupted batch")
        parser.add_argument("--encoding", default="", help="read every file in this encoding (no detection)")
        parser.add_argument("--quiet-ok", action="store_true", help="list only the files that failed")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--replace",
            nargs=2,
            metavar=("ARTICLE", "FILE"),
            help="replace the text of article number ARTICLE with FILE's (read as an import reads "
            "it): statements follow their words, those whose words are gone wait for a new span",
        )
        parser.add_argument(
            "--by", default="", metavar="USERNAME", help="with --replace: the user its history names"
        )

    def handle(
        self,
        *args,
        paths,
        workers,
        background,
        resume,
        encoding,
        quiet_ok,
        no_progress,
        replace,
        by,
        **options,
    ):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if by and not replace:
            raise CommandError("--by goes with --replace.")
        if replace and (paths or background or resume is not None or workers != 1):
            raise CommandError("--replace takes an article's number and a file, and nothing to import.")
        if replace:
            return self._replace(*replace, encoding=self._encoding(encoding), username=by)
        if resume is not None and (paths or background):
            raise CommandError("--resume takes a batch number and nothing else.")
        if resume is None and not paths:
            raise CommandError("Give the files, folders or zips to import (or --resume BATCH).")
        encoding = self._encoding(encoding)
        if resume is not None:
            batch = self._resumable(resume)
        elif background:
            return self._background(paths, encoding)
        else:
            batch = importing.plan_paths(paths, origin=ImportBatch.Origin.COMMAND, encoding=encoding)
            self.stdout.write(
                f"Import #{batch.pk}: {batch.total_files:,} file{pluralize(batch.total_files)}, "
                f"{batch.total_bytes / 1e6:,.1f} MB in {batch.chunks.count()} chunk"
                f"{pluralize(batch.chunks.count())}."
            )
        interrupted = self._run(batch, workers, show=not no_progress)
        batch.refresh_from_db()
        self._report(batch, quiet_ok)
        if interrupted:
            ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.RUNNING).exclude(
                chunks__state=ImportChunk.State.CLAIMED
            ).update(state=ImportBatch.State.INTERRUPTED)
            raise CommandError(
                f"Interrupted. `manage.py import_articles --resume {batch.pk}` imports the rest.",
                returncode=INTERRUPTED,
            )
        if batch.total_files == 0:
            raise CommandError("No files found at the given paths.")
        if batch.failed_count:
            raise CommandError(
                f"{batch.failed_count} file{pluralize(batch.failed_count)} failed (see above).", returncode=1
            )

    def _encoding(self, encoding: str) -> str:
        try:
            return canonical_encoding(encoding) if encoding else ""
        except LookupError as exc:
            raise CommandError(f"Unknown encoding {encoding!r}.") from exc

    def _replace(self, article_ref: str, path: str, *, encoding: str, username: str) -> None:
        """Correct one article's text through the editors' action (``ARTICLE_TEXT_REPLACER``:
        this app never imports the attributions app), with the import's suggester for new text."""
        if not article_ref.isdigit():
            raise CommandError(f"--replace takes an article's number, not {article_ref!r}.")
        article = Article.objects.filter(pk=int(article_ref)).first()
        if article is None:
            raise CommandError(f"There is no article #{article_ref}.")
        user = None
        if username:
            User = get_user_model()
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            if user is None:
                raise CommandError(f"There is no user {username!r} (--by).")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            text = normalise(decode(data, encoding or None).text)
        except EncodingUncertain as exc:
            raise CommandError(f"{path}: {exc} Name its encoding with --encoding.") from exc
        except DecodeError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if importing.content_hash(text) == article.content_hash:
            raise CommandError(
                f"{path} holds the text article #{article.pk} has already: nothing to replace."
            )
        replace_text = import_string(settings.ARTICLE_TEXT_REPLACER)
        try:
            report = replace_text(
                article=article, text=text, by=user, suggester=importing.configured_suggester()
            )
        except ValueError as exc:  # the action's refusal, with its message
            raise CommandError(str(exc)) from exc
        lost = len(report.lost)
        self.stdout.write(
            f"Article #{article.pk}: text replaced from {path}. "
            f"Re-anchored {report.kept + report.edited} ({report.kept} with the same words, "
            f"{report.edited} edited); needs a new span {lost}"
            + (f" (statement{pluralize(lost)} {', '.join(f'#{pk}' for pk in report.lost)})" if lost else "")
            + f"; {report.added} new from the engine."
        )

    def _resumable(self, batch_id: int) -> ImportBatch:
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise CommandError(f"There is no import batch #{batch_id}.")
        if not batch.in_progress and batch.state != ImportBatch.State.INTERRUPTED:
            raise CommandError(
                f"Import #{batch_id} is {batch.get_state_display().lower()}: nothing to resume."
            )
        left = batch.chunks.exclude(state=ImportChunk.State.DONE).count()
        self.stdout.write(f"Resuming import #{batch.pk}: {left} chunk{pluralize(left)} left.")
        return batch

    def _background(self, paths, encoding: str) -> None:
        """Stage the files in the database (so workers on other hosts read them) and queue the batch."""
        batch = ImportBatch.objects.create(
            origin=ImportBatch.Origin.COMMAND,
            mode=ImportBatch.Mode.QUEUE,
            encoding=encoding,
            state=ImportBatch.State.QUEUED,
        )
        entries: list = []
        staged: dict[str, int] = {}  # a zip is staged once for all its members
        for entry in staging.list_paths(paths):
            if isinstance(entry, staging.Refusal):
                entries.append(entry)
                continue
            path = entry.pop("path")
            entry.pop("root", None)
            if path not in staged:
                with open(path, "rb") as handle:
                    staged[path] = staging.stage(batch, handle, path).pk
            entries.append({**entry, "upload": staged[path]})
        batch = importing.plan(entries, origin=batch.origin, batch=batch)
        queued = queue_batch(batch)
        self.stdout.write(
            f"Import #{batch.pk}: {batch.total_files:,} file{pluralize(batch.total_files)} queued in "
            f"{queued} chunk{pluralize(queued)} for the db_worker processes. Follow it on the batch's "
            "admin page."
        )

    def _run(self, batch: ImportBatch, workers: int, *, show: bool) -> bool:
        """Work on the batch here (and in ``workers - 1`` more processes); True if interrupted."""
        children = []
        if workers > 1:
            connections.close_all()
            context = multiprocessing.get_context("fork")
            children = [context.Process(target=_child, args=(batch.pk,)) for _ in range(workers - 1)]
            for child in children:
                child.start()
        bar = tqdm(
            total=batch.total_files,
            initial=batch.total_count,
            unit="file",
            disable=not show,
            file=self.stderr._out,
            dynamic_ncols=True,
        )
        started = time.monotonic()
        counts = {"bytes": 0}

        def progress(outcome: importing.Outcome) -> None:
            counts["bytes"] += outcome.size
            bar.update(1)
            seconds = max(time.monotonic() - started, 0.001)
            bar.set_postfix_str(f"{counts['bytes'] / 1e6 / seconds:.2f} MB/s", refresh=False)

        interrupted = False
        try:
            importing.stop.clear()
            interrupted = importing.work_on(batch.pk, progress=progress)
            while any(child.is_alive() for child in children):  # the others finish their chunks
                batch.refresh_from_db()
                bar.n = batch.total_count
                bar.refresh()
                time.sleep(0.5)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if interrupted:
                for child in children:
                    if child.is_alive():
                        child.terminate()  # SIGTERM: it stops after its current file
            for child in children:
                child.join()
            batch.refresh_from_db()
            bar.n = batch.total_count
            bar.close()
        return interrupted or importing.stop.requested

    def _report(self, batch: ImportBatch, quiet_ok: bool) -> None:
        styles = {
            "imported": self.style.SUCCESS,
            "duplicate": self.style.WARNING,
            "failed": self.style.ERROR,
        }
        files = batch.files.order_by("pk")
        if quiet_ok:
            files = files.filter(status=ImportFile.Status.FAILED)
        shown = 0
        for f in files.iterator():
            if f.status == ImportFile.Status.FAILED or not quiet_ok:
                if shown >= SHOWN_FAILURES and f.status != ImportFile.Status.FAILED:
                    continue
                line = f"{f.status:<9} {f.name}"
                if f.message:
                    line += f": {f.message}"
                self.stdout.write(styles[f.status](line))
                shown += 1
        self.stdout.write(
            f"Import #{batch.pk}: {batch.imported_count} imported, "
            f"{batch.duplicate_count} duplicate, {batch.failed_count} failed "
            f"({batch.total_count} of {batch.total_files} file{pluralize(batch.total_files)})."
        )
        reasons = Counter(
            batch.files.filter(status=ImportFile.Status.FAILED).values_list("reason", flat=True)
        )
        if reasons:
            why = ", ".join(
                f"{count} {REASONS.get(reason, reason or 'other')}" for reason, count in reasons.most_common()
            )
            self.stdout.write(self.style.ERROR(f"Why files failed: {why}."))


#: How the summary names each reason a file failed for.
REASONS = {
    "empty": "empty",
    "not-text": "not plain text",
    "not-prose": "not article prose",
    "encoding": "with an uncertain encoding (re-run them with --encoding, or from the batch page)",
    "too-large": "too large",
    "batch-limit": "over the batch's size limit",
    "unsafe-path": "with unsafe paths in a zip",
    "symlink": "symbolic links leading out of the folder",
    "missing": "missing",
    "unreadable": "unreadable",
    "internal": "internal errors (see the log)",
    "worker-died": "that stopped their worker repeatedly",
}
