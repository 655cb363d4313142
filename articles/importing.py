"""The import: files -> articles -> statements -> suggested attributions, as a pipeline of chunks.

A batch is *planned* (its files listed, refusals recorded, the rest split into chunks by count
and bytes) and its chunks are *imported*, each by whichever worker claims it: a db_worker
task (uploads, ``import_articles --background``), the import_articles command's own
processes, or the web request itself for an upload that expands to little.

A worker claims a chunk with a lease (``lease_until``, on the database's clock) and renews it
between files; everything a chunk writes (articles, statements, suggestions, proposed
sources, report rows, the batch's counts) is committed in one transaction that first checks
the lease is still this worker's. A worker that dies leaves its lease to run out, then
``reap`` (run by every worker) puts the chunk back, so every file ends exactly once as
imported, duplicate or failed. A worker asked to stop (SIGTERM, Ctrl-C) commits the files it
finished and puts the rest of its chunk back.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Now
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.module_loading import import_string

from articles import bulk, figures
from articles.languages import detect_language, language_name
from articles.models import Article, HeldFile, ImportBatch, ImportChunk, ImportFile
from articles.staging import Item, Reader, Refusal, list_paths, remove_staged
from articles.text import DecodeError, EncodingUncertain, decode, normalise, prose_problem, title_from

logger = logging.getLogger(__name__)

Status = ImportFile.Status
ARTICLE_COLUMNS = ("title", "body", "content_hash", "original_filename", "language", "batch_id")
State = ImportBatch.State
ChunkState = ImportChunk.State

__all__ = ["Item", "Outcome", "iter_paths", "plan", "process_chunk", "reap", "run_import"]


class Suggester(Protocol):
    """What the import needs to turn articles into statements (and suggestions).

    The attributions app provides it; ``settings.IMPORT_SUGGESTER`` names the class, so that
    this module never imports the app that builds on it. ``analyse`` is pure work (no
    database) and runs outside any transaction; ``store`` writes, in bulk, inside the chunk's.
    Its analysis has ``statement_count`` and ``suggests`` (False where the engine has no rules
    for the language).
    """

    def analyse(self, text: str, language: str) -> Any: ...

    def store(self, analysed: Sequence[tuple[Article, Any]]) -> None: ...


def configured_suggester() -> Suggester:
    """A fresh suggester of the configured class (one per chunk: it reads the sources)."""
    return import_string(settings.IMPORT_SUGGESTER)()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


# --------------------------------------------------------------------------- stopping


class _Stop:
    """Set when the process is asked to stop (SIGTERM, Ctrl-C): a worker finishes its current
    file, commits what it finished and puts the rest of its chunk back."""

    def __init__(self) -> None:
        self.event = threading.Event()

    @property
    def requested(self) -> bool:
        return self.event.is_set()

    def request(self) -> None:
        self.event.set()

    def clear(self) -> None:
        self.event.clear()


stop = _Stop()


@contextmanager
def stopping_after_current_file(signals=(signal.SIGTERM, signal.SIGINT)):
    """While importing, the first of ``signals`` asks for a stop after the current file; the
    handler that was there before (db_worker's own, which then exits after the task) is called
    too. Without such a handler a second signal stops at once. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in signals}

    def handler(signum, frame):
        first = not stop.requested
        stop.request()
        chained = previous.get(signum)
        if callable(chained) and chained is not signal.default_int_handler:
            chained(signum, frame)
        elif not first:
            raise KeyboardInterrupt

    for sig in previous:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# --------------------------------------------------------------------------- planning


def plan(
    entries: Iterable[dict | Refusal],
    *,
    origin: str,
    mode: str = ImportBatch.Mode.QUEUE,
    user=None,
    encoding: str = "",
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Record a batch: its refusals as failed files, the rest as chunks of at most
    IMPORT_CHUNK_FILES files and IMPORT_CHUNK_BYTES bytes. Files past IMPORT_MAX_BATCH_BYTES
    are refused by name."""
    if batch is None:
        batch = ImportBatch.objects.create(
            origin=origin, mode=mode, created_by=user, encoding=encoding, state=State.QUEUED
        )
    limit = settings.IMPORT_MAX_BATCH_BYTES
    refusals: list[Refusal] = []
    accepted: list[dict] = []
    total_bytes = 0
    for entry in entries:
        size = 0 if isinstance(entry, Refusal) else entry.get("size", 0)
        if isinstance(entry, Refusal):
            refusals.append(entry)
        elif total_bytes + size > limit:
            refusals.append(
                Refusal(
                    entry["name"],
                    "batch-limit",
                    f"refused: the batch is over its limit of {limit:,} bytes (IMPORT_MAX_BATCH_BYTES)",
                    size,
                )
            )
        else:
            accepted.append(entry)
            total_bytes += size
    chunks = [
        ImportChunk(
            batch=batch,
            number=number,
            items=group,
            file_count=len(group),
            byte_count=sum(entry.get("size", 0) for entry in group),
        )
        for number, group in enumerate(chunked(accepted, lambda entry: entry.get("size", 0)))
    ]
    with transaction.atomic():
        ImportChunk.objects.bulk_create(chunks, batch_size=500)
        ImportFile.objects.bulk_create(
            [
                ImportFile(
                    batch=batch,
                    name=r.name[:500],
                    size=r.size,
                    status=Status.FAILED,
                    reason=r.reason,
                    message=r.message[:500],
                )
                for r in refusals
            ],
            batch_size=500,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            total_files=F("total_files") + sum(c.file_count for c in chunks) + len(refusals),
            total_bytes=F("total_bytes") + total_bytes,
            failed_count=F("failed_count") + len(refusals),
        )
    batch.refresh_from_db()
    if not chunks:
        finish_if_complete(batch.pk)
        batch.refresh_from_db()
    return batch


def iter_paths(paths: Iterable[str]) -> Iterator[Item]:
    """The files at ``paths`` read into memory, for ``run_import`` (fixtures, the demo)."""
    with Reader() as reader:
        for entry in list_paths(paths):
            if isinstance(entry, Refusal):
                yield Item(entry.name, error=entry.message, reason=entry.reason, size=entry.size)
            else:
                yield reader.read(entry)


def plan_paths(paths: Iterable[str], **kwargs) -> ImportBatch:
    """A batch of files, folders and zips on this machine's disk, for this machine's processes."""
    return plan(list_paths(paths), mode=ImportBatch.Mode.LOCAL, **kwargs)


# --------------------------------------------------------------------------- importing files


@dataclass
class Outcome:
    name: str
    status: str
    message: str = ""
    reason: str = ""
    size: int = 0
    encoding: str = ""
    article: Article | None = None
    hold: bytes | None = None  # bytes to keep for a re-run with a chosen encoding
    guess: str = ""
    held: int | None = None  # the HeldFile this file was read from


@dataclass
class _Prepared:
    """A file decoded and analysed, waiting for its chunk's transaction."""

    item: Item
    text: str
    digest: str
    encoding: str
    language: str = ""
    analysis: Any = None
    outcome: Outcome | None = None  # decided before the commit (failed)


def _failed(item: Item, reason: str, message: str, **extra) -> Outcome:
    return Outcome(item.name, Status.FAILED, message, reason=reason, size=item.size, held=item.held, **extra)


def _decode(item: Item, encoding: str) -> _Prepared | Outcome:
    """Read one file's bytes into normalised text: never raises for bad input."""
    if item.error:
        return _failed(item, item.reason or "unreadable", item.error)
    assert item.data is not None
    if not item.data.strip():
        return _failed(
            item, "empty", "The file is empty." if not item.data else "The file contains only whitespace."
        )
    chosen = item.encoding or encoding
    try:
        decoded = decode(item.data, chosen or None)
    except EncodingUncertain as exc:
        return _failed(item, "encoding", str(exc), hold=item.data, guess=exc.guess)
    except LookupError:
        return _failed(item, "encoding", f"unknown encoding {chosen!r}", hold=item.data)
    except DecodeError as exc:
        if chosen:  # the chosen encoding does not fit: keep the file for another choice
            return _failed(item, "encoding", str(exc), hold=item.data, encoding=chosen)
        return _failed(item, "not-text", str(exc))
    text = normalise(decoded.text)
    if not text.strip():
        return _failed(item, "empty", "the file has no text", encoding=decoded.encoding)
    problem = prose_problem(text)
    if problem:
        return _failed(item, "not-prose", problem, encoding=decoded.encoding)
    return _Prepared(item, text, content_hash(text), decoded.encoding)


class LeaseLost(Exception):
    """This worker's lease on its chunk ran out and the chunk went to another worker."""


class _Lease:
    """A worker's hold on a chunk, renewed between files (a heartbeat)."""

    def __init__(self, chunk_id: int, worker: str) -> None:
        self.chunk_id = chunk_id
        self.worker = worker
        self.renewed = timezone.now()

    @staticmethod
    def until():
        return Now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)

    def held(self):
        return ImportChunk.objects.filter(pk=self.chunk_id, worker=self.worker, state=ChunkState.CLAIMED)

    def beat(self) -> None:
        """Renew the lease when a quarter of it has passed; LeaseLost if it went elsewhere."""
        if timezone.now() - self.renewed < timedelta(seconds=settings.IMPORT_LEASE_SECONDS / 4):
            return
        if not self.held().update(lease_until=self.until()):
            raise LeaseLost
        self.renewed = timezone.now()


def _prepare_all(
    items: Iterable[Item], *, encoding: str, suggester: Suggester, lease: _Lease | None
) -> tuple[list[_Prepared | Outcome], bool]:
    """Decode every item, skip known texts, then analyse the rest one by one (the costly part),
    stopping after the current file when asked. Returns what was done, in order, and whether
    it stopped early (the rest goes back)."""
    done: list[_Prepared | Outcome] = []
    for item in items:
        done.append(_decode(item, encoding))
        if lease:
            lease.beat()
    digests = {p.digest for p in done if isinstance(p, _Prepared)}
    known = set(Article.objects.filter(content_hash__in=digests).values_list("content_hash", flat=True))
    fresh = [p for p in done if isinstance(p, _Prepared) and p.digest not in known]
    for prepared in fresh:  # all languages first: the detector's tables stay in the CPU's cache
        prepared.language = detect_language(prepared.text)
    for index, prepared in enumerate(done):
        if stop.requested:
            return done[:index], True
        if isinstance(prepared, _Prepared) and prepared.digest not in known:
            try:
                prepared.analysis = suggester.analyse(prepared.text, prepared.language)
            except Exception as exc:  # one broken file must not stop the chunk
                logger.exception("Analysing %s failed", prepared.item.name)
                done[index] = _failed(prepared.item, "internal", f"internal error: {exc}"[:500])
            if lease:
                lease.beat()
    return done, False


def _commit(
    batch: ImportBatch,
    done: list[_Prepared | Outcome],
    *,
    suggester: Suggester,
    chunk_update: Callable[[], bool] | None = None,
) -> list[Outcome]:
    """Write one chunk's files in one transaction: articles, statements and suggestions (the
    suggester's bulk writes), report rows, kept bytes, the batch's counts. ``chunk_update``
    runs first, inside it, and must return False if the lease was lost (nothing is written).

    If the bulk write fails for a reason of its own (not a race with another worker, which is
    retried), the files are written one by one, each in a savepoint, so that the file at fault
    is reported by name and the others are imported."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                if chunk_update is not None and not chunk_update():
                    raise LeaseLost
                try:
                    with transaction.atomic():
                        return _write(batch, done, suggester)
                except (IntegrityError, OperationalError):
                    raise
                except Exception:
                    logger.exception("Bulk write of %s files failed; writing them one by one", len(done))
                return [outcome for one in done for outcome in _write_alone(batch, one, suggester)]
        except IntegrityError:
            # Another worker committed the same text meanwhile: look again and retry.
            if attempt == 2:
                raise
        except OperationalError as exc:  # a deadlock between two workers' inserts: retry
            if attempt == 2 or "deadlock" not in str(exc).lower():
                raise
    raise AssertionError("unreachable")


def _write_alone(batch: ImportBatch, one: _Prepared | Outcome, suggester: Suggester) -> list[Outcome]:
    try:
        with transaction.atomic():
            return _write(batch, [one], suggester)
    except (IntegrityError, OperationalError):
        raise
    except Exception as exc:
        logger.exception("Writing one file failed")
        item = one.item if isinstance(one, _Prepared) else None
        failed = _failed(item, "internal", f"internal error: {exc}"[:500]) if item else one
        return _write(batch, [failed], suggester)


def _write(batch: ImportBatch, done: list[_Prepared | Outcome], suggester: Suggester) -> list[Outcome]:
    prepared = [p for p in done if isinstance(p, _Prepared)]
    existing = {
        digest: (pk, title)
        for digest, pk, title in Article.objects.filter(
            content_hash__in={p.digest for p in prepared}
        ).values_list("content_hash", "pk", "title")
    }
    new: dict[str, Article] = {}
    for p in sorted(prepared, key=lambda p: p.digest):  # one order for every worker: no deadlock
        if p.digest in existing or p.digest in new or p.analysis is None:
            continue
        new[p.digest] = Article(
            title=title_from(p.text),
            body=p.text,
            content_hash=p.digest,
            original_filename=PurePosixPath(p.item.name.replace("\\", "/")).name[:500],
            language=p.language,
            batch=batch,
        )
    ids = bulk.insert(
        Article,
        ARTICLE_COLUMNS,
        [tuple(getattr(a, name) for name in ARTICLE_COLUMNS) for a in new.values()],
        ids=True,
    )
    for article, pk in zip(new.values(), ids, strict=True):
        article.pk = pk
    analysed = {p.digest: p.analysis for p in prepared if p.digest in new}
    suggester.store([(article, analysed[digest]) for digest, article in new.items()])

    outcomes: list[Outcome] = []
    first_seen: set[str] = set()
    for p in done:
        if isinstance(p, Outcome):
            outcomes.append(p)
            continue
        item = p.item
        if p.digest in new and p.digest not in first_seen:
            first_seen.add(p.digest)
            count = p.analysis.statement_count
            message = f"{count} statement{pluralize(count)}"
            if not p.analysis.suggests:
                message += f"; no automatic suggestions for this language ({language_name(p.language)})"
            outcomes.append(
                Outcome(
                    item.name,
                    Status.IMPORTED,
                    message,
                    size=item.size,
                    encoding=p.encoding,
                    article=new[p.digest],
                    held=item.held,
                )
            )
        elif p.digest not in new and p.digest not in existing:  # the article it repeated was deleted
            outcomes.append(
                _failed(
                    item, "internal", "the article with the same text was deleted meanwhile; import it again"
                )
            )
        else:
            article = new.get(p.digest)
            pk, title = (article.pk, article.title) if article else existing[p.digest]
            outcomes.append(
                Outcome(
                    item.name,
                    Status.DUPLICATE,
                    f"same text as article #{pk} “{title[:80]}”",
                    size=item.size,
                    encoding=p.encoding,
                    article=Article(pk=pk, title=title),
                    held=item.held,
                )
            )
    files = bulk.insert(
        ImportFile,
        ("batch_id", "name", "size", "status", "reason", "message", "encoding", "article_id"),
        [
            (
                batch.pk,
                o.name[:500],
                o.size,
                o.status,
                o.reason,
                o.message[:500],
                o.encoding[:32],
                o.article.pk if o.article else None,
            )
            for o in outcomes
        ],
        ids=True,
    )
    # A re-run's kept bytes move to its newest report row, or go once the file is imported.
    HeldFile.objects.filter(pk__in=[o.held for o in outcomes if o.held]).delete()
    HeldFile.objects.bulk_create(
        [
            HeldFile(file_id=row, data=o.hold, guess=o.guess[:32])
            for row, o in zip(files, outcomes, strict=True)
            if o.hold is not None
        ]
    )
    counts = {status: sum(o.status == status for o in outcomes) for status in Status.values}
    ImportBatch.objects.filter(pk=batch.pk).update(
        imported_count=F("imported_count") + counts[Status.IMPORTED],
        duplicate_count=F("duplicate_count") + counts[Status.DUPLICATE],
        failed_count=F("failed_count") + counts[Status.FAILED],
        done_bytes=F("done_bytes") + sum(o.size for o in outcomes),
        last_progress_at=Now(),
    )
    return outcomes


# --------------------------------------------------------------------------- chunks


@dataclass
class ChunkReport:
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: bool = False  # asked to stop: the rest of the chunk went back
    lost: bool = False  # the lease ran out and the chunk went to another worker


def claimable() -> Q:
    """Chunks a worker may take: waiting, or held by a worker whose lease ran out."""
    return Q(state=ChunkState.PENDING) | Q(state=ChunkState.CLAIMED, lease_until__lt=Now())


def claim(chunk_id: int, worker: str) -> bool:
    return bool(
        ImportChunk.objects.filter(claimable(), pk=chunk_id).update(
            state=ChunkState.CLAIMED, worker=worker, lease_until=_Lease.until()
        )
    )


def release(chunk_id: int, worker: str) -> None:
    """Put a chunk back at once (its worker is stopping on an error): no need to wait out the lease."""
    ImportChunk.objects.filter(pk=chunk_id, worker=worker, state=ChunkState.CLAIMED).update(
        state=ChunkState.PENDING, worker="", lease_until=None
    )


def process_chunk(
    chunk_id: int,
    *,
    worker: str | None = None,
    suggester: Suggester | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> ChunkReport | None:
    """Claim a chunk, import its files and commit them; None if another worker has it or it is done."""
    worker = worker or worker_name()
    if not claim(chunk_id, worker):
        return None
    chunk = ImportChunk.objects.select_related("batch").get(pk=chunk_id)
    batch = chunk.batch
    ImportBatch.objects.filter(pk=batch.pk, state__in=[State.QUEUED, State.INTERRUPTED]).update(
        state=State.RUNNING
    )
    ImportBatch.objects.filter(pk=batch.pk, started_at__isnull=True).update(started_at=Now())
    lease = _Lease(chunk_id, worker)
    try:
        suggester = suggester or configured_suggester()
        with Reader() as reader:
            items = (reader.read(entry) for entry in chunk.items)
            done, _ = _prepare_all(items, encoding=batch.encoding, suggester=suggester, lease=lease)
        rest = chunk.items[len(done) :]

        def update_chunk() -> bool:
            if rest:  # stopped: the files not started go back, the chunk shrinks to them
                return bool(
                    lease.held().update(
                        state=ChunkState.PENDING,
                        worker="",
                        lease_until=None,
                        items=rest,
                        file_count=len(rest),
                        byte_count=sum(e.get("size", 0) for e in rest),
                    )
                )
            return bool(lease.held().update(state=ChunkState.DONE, finished_at=Now(), lease_until=None))

        outcomes = _commit(batch, done, suggester=suggester, chunk_update=update_chunk)
    except LeaseLost:
        logger.warning("Lost the lease on chunk %s to another worker; its files are theirs now", chunk_id)
        return ChunkReport(lost=True)
    except BaseException:
        release(chunk_id, worker)
        raise
    if progress:
        for outcome in outcomes:
            progress(outcome)
    if not rest:
        finish_if_complete(batch.pk)
    return ChunkReport(outcomes, stopped=bool(rest))


def next_chunk(batch_id: int) -> int | None:
    """A chunk of the batch that a worker may take now."""
    return (
        ImportChunk.objects.filter(claimable(), batch_id=batch_id)
        .order_by("number")
        .values_list("pk", flat=True)
        .first()
    )


def work_on(batch_id: int, *, progress: Callable[[Outcome], None] | None = None, signals=None) -> bool:
    """Import a batch's chunks in this process until none is left to take or a stop is asked.
    True when it stopped because it was asked to."""
    worker = worker_name()
    with stopping_after_current_file(*([signals] if signals else [])):
        while not stop.requested:
            chunk_id = next_chunk(batch_id)
            if chunk_id is None:
                return False
            process_chunk(chunk_id, worker=worker, progress=progress)
    return True


def finish_if_complete(batch_id: int) -> bool:
    """End a batch whose chunks are all done (once, whichever worker gets here first): its
    state, its end time, its staged files."""
    if ImportChunk.objects.filter(batch_id=batch_id).exclude(state=ChunkState.DONE).exists():
        return False
    ended = ImportBatch.objects.filter(
        pk=batch_id, state__in=[State.QUEUED, State.RUNNING, State.INTERRUPTED]
    ).update(state=State.DONE, finished_at=Now())
    if ended:
        end_batch(batch_id)
    return bool(ended)


def end_batch(batch_id: int) -> None:
    """What follows the end of a batch, whatever its outcome."""
    remove_staged(batch_id)
    # New statements: the figures readers see are counted now, so every process's next page
    # shows them (the importing process can afford the second this takes at a million).
    figures.refresh(*figures.READER_FIGURES)


def fail_batch(batch_id: int, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(state=State.FAILED, error=error[:2000], finished_at=Now())
    end_batch(batch_id)


# --------------------------------------------------------------------------- the reaper


def reap(*, requeue: Callable[[ImportChunk], None] | None = None) -> int:
    """Put back the chunks whose worker died (their lease ran out). A chunk that killed its
    worker IMPORT_MAX_ATTEMPTS times is split into single files; a single file that did is
    reported failed. ``requeue`` queues a task for a chunk of a queued batch again. Returns the
    number of chunks put back."""
    count = 0
    for chunk_id in ImportChunk.objects.filter(state=ChunkState.CLAIMED, lease_until__lt=Now()).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            chunk = (
                ImportChunk.objects.select_for_update(skip_locked=True)
                .select_related("batch")
                .filter(pk=chunk_id, state=ChunkState.CLAIMED, lease_until__lt=Now())
                .first()
            )
            if chunk is None:
                continue
            logger.warning(
                "Chunk %s of %s: its worker %s stopped; putting it back",
                chunk.number,
                chunk.batch,
                chunk.worker,
            )
            chunk.attempts += 1
            back = [chunk]
            if chunk.attempts >= settings.IMPORT_MAX_ATTEMPTS and chunk.file_count == 1:
                _give_up(chunk)
                back = []
            elif chunk.attempts >= settings.IMPORT_MAX_ATTEMPTS:
                back = _split(chunk)
            else:
                chunk.state, chunk.worker, chunk.lease_until = ChunkState.PENDING, "", None
                chunk.save(update_fields=["state", "worker", "lease_until", "attempts"])
            if chunk.batch.mode == ImportBatch.Mode.LOCAL:
                # nobody queues the command's chunks: it is resumed by import_articles --resume
                ImportBatch.objects.filter(pk=chunk.batch_id, state=State.RUNNING).exclude(
                    Exists(ImportChunk.objects.filter(batch=OuterRef("pk"), state=ChunkState.CLAIMED))
                ).update(state=State.INTERRUPTED)
            elif requeue:
                for other in back:
                    transaction.on_commit(lambda other=other: requeue(other))
            count += 1
        if not back:
            finish_if_complete(chunk.batch_id)
    return count


def _give_up(chunk: ImportChunk) -> None:
    entry = chunk.items[0]
    message = (
        f"not imported: the worker importing this file stopped {chunk.attempts} times "
        "(killed, or out of memory)"
    )
    ImportFile.objects.create(
        batch=chunk.batch,
        name=entry["name"][:500],
        size=entry.get("size", 0),
        status=Status.FAILED,
        reason="worker-died",
        message=message,
    )
    ImportBatch.objects.filter(pk=chunk.batch_id).update(
        failed_count=F("failed_count") + 1,
        done_bytes=F("done_bytes") + entry.get("size", 0),
        last_progress_at=Now(),
    )
    chunk.state, chunk.worker, chunk.lease_until, chunk.finished_at = (
        ChunkState.DONE,
        "",
        None,
        timezone.now(),
    )
    chunk.save(update_fields=["state", "worker", "lease_until", "attempts", "finished_at"])


def _split(chunk: ImportChunk) -> list[ImportChunk]:
    """One chunk per file, so the file that kills its worker is found and the others import."""
    last = (
        ImportChunk.objects.filter(batch_id=chunk.batch_id)
        .order_by("-number")
        .values_list("number", flat=True)[0]
    )
    singles = ImportChunk.objects.bulk_create(
        [
            ImportChunk(
                batch_id=chunk.batch_id,
                number=last + 1 + i,
                items=[entry],
                file_count=1,
                byte_count=entry.get("size", 0),
            )
            for i, entry in enumerate(chunk.items[1:])
        ]
    )
    first = chunk.items[0]
    chunk.items, chunk.file_count, chunk.byte_count = [first], 1, first.get("size", 0)
    chunk.state, chunk.worker, chunk.lease_until, chunk.attempts = ChunkState.PENDING, "", None, 0
    chunk.save(
        update_fields=["items", "file_count", "byte_count", "state", "worker", "lease_until", "attempts"]
    )
    return [chunk, *singles]


# --------------------------------------------------------------------------- in one go


def run_import(
    items: Iterable[Item],
    *,
    origin: str = ImportBatch.Origin.COMMAND,
    user=None,
    progress: Callable[[int, Outcome], None] | None = None,
    suggester: Suggester | None = None,
    encoding: str = "",
) -> ImportBatch:
    """Import items already in memory, in this process, chunk by chunk (bulk writes, one
    transaction per chunk): for fixtures, the demo and benchmarks. Files are ``Item``s."""
    batch = ImportBatch.objects.create(
        origin=origin,
        mode=ImportBatch.Mode.LOCAL,
        created_by=user,
        encoding=encoding,
        state=State.RUNNING,
        started_at=timezone.now(),
    )
    suggester = suggester or configured_suggester()
    number = 0
    try:
        for group in chunked(items, _item_size):
            done, _ = _prepare_all(group, encoding=encoding, suggester=suggester, lease=None)
            ImportBatch.objects.filter(pk=batch.pk).update(
                total_files=F("total_files") + len(group),
                total_bytes=F("total_bytes") + sum(i.size for i in group),
            )
            for outcome in _commit(batch, done, suggester=suggester):
                number += 1
                if progress:
                    progress(number, outcome)
    except BaseException as exc:
        logger.exception("Import batch %s stopped", batch.pk)
        fail_batch(batch.pk, f"The import stopped: {exc}")
        raise
    ImportBatch.objects.filter(pk=batch.pk).update(state=State.DONE, finished_at=Now())
    end_batch(batch.pk)
    batch.refresh_from_db()
    return batch


def _item_size(item: Item) -> int:
    item.size = item.size or len(item.data or b"")
    return item.size


def chunked(things: Iterable, size_of: Callable[[Any], int]) -> Iterator[list]:
    """Consecutive groups of at most IMPORT_CHUNK_FILES things and IMPORT_CHUNK_BYTES bytes
    (a larger thing alone)."""
    group: list = []
    size = 0
    for thing in things:
        bytes_ = size_of(thing)
        if group and (
            len(group) >= settings.IMPORT_CHUNK_FILES or size + bytes_ > settings.IMPORT_CHUNK_BYTES
        ):
            yield group
            group, size = [], 0
        group.append(thing)
        size += bytes_
    if group:
        yield group
