"""The import action: files -> articles -> statements -> suggested attributions.

Every file is imported in its own transaction and gets an ImportFile row saying what
happened to it, so one bad file in a batch of thousands is reported by name and the
others import.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import Article, ImportBatch, ImportFile
from articles.text import DecodeError, decode_bytes, normalise, title_from

logger = logging.getLogger(__name__)

Status = ImportFile.Status


class Suggester(Protocol):
    """What the import needs to turn an article into statements (and suggestions).

    The attributions app provides it; ``settings.IMPORT_SUGGESTER`` names the class, so that
    this module never imports the app that builds on it.
    """

    def add_statements(self, article: Article) -> list: ...

    def forget_sources(self) -> None: ...


def configured_suggester() -> Suggester:
    """A fresh suggester of the configured class (one per batch: it caches sources)."""
    return import_string(settings.IMPORT_SUGGESTER)()


@dataclass
class Item:
    """One file to import: its name and either its bytes or why it cannot be read."""

    name: str
    data: bytes | None = None
    error: str = ""
    size: int = 0


@dataclass
class Outcome:
    name: str
    status: str
    message: str = ""
    article: Article | None = None
    size: int = 0


def max_file_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES


def _too_big(size: int) -> str:
    return f"file is too large ({size:,} bytes; the limit is {max_file_bytes():,})"


def read_limited(handle: IO[bytes], name: str, size: int | None = None) -> Item:
    """Read at most the size limit (plus one byte, to notice a longer stream)."""
    limit = max_file_bytes()
    if size is not None and size > limit:
        return Item(name, error=_too_big(size), size=size)
    data = handle.read(limit + 1)
    if len(data) > limit:
        return Item(name, error=_too_big(size or len(data)), size=size or len(data))
    return Item(name, data=data, size=len(data))


def unsafe_member_reason(name: str) -> str:
    """Why a zip member's path is refused, or '' when it is safe."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return "refused: absolute path inside the zip"
    if ".." in PurePosixPath(normalised).parts:
        return "refused: '..' in the path inside the zip"
    return ""


def iter_zip(handle: IO[bytes], label: str) -> Iterator[Item]:
    """The members of a zip archive as items, refusing unsafe paths and zip bombs."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Item(label, error=f"not a readable zip archive ({exc})")
        return
    budget = settings.IMPORT_MAX_ZIP_BYTES
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = f"{label}/{info.filename}"
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if parts and (parts[0] == "__MACOSX" or parts[-1].startswith(".")):
                continue
            reason = unsafe_member_reason(info.filename)
            if reason:
                yield Item(member, error=reason, size=info.file_size)
                continue
            if info.file_size > budget:
                yield Item(member, error="refused: the zip expands beyond its size limit")
                continue
            budget -= info.file_size
            try:
                with archive.open(info) as member_handle:
                    yield read_limited(member_handle, member, info.file_size)
            except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError) as exc:
                yield Item(member, error=f"could not be read from the zip ({exc})")


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Files, folders (recursively, hidden files skipped) and zip archives on disk."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from iter_paths(files)
        elif path.is_file():
            if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
                with path.open("rb") as handle:
                    yield from iter_zip(handle, str(path))
            else:
                with path.open("rb") as handle:
                    yield read_limited(handle, str(path), path.stat().st_size)
        else:
            yield Item(str(path), error="no such file or folder")


def _iter_handle(handle: IO[bytes], name: str, size: int | None) -> Iterator[Item]:
    """One opened file as items: a zip's members, or the file itself."""
    if name.lower().endswith(".zip") or zipfile.is_zipfile(handle):
        handle.seek(0)
        yield from iter_zip(handle, name)
    else:
        handle.seek(0)
        yield read_limited(handle, name, size)


def iter_uploads(files: Iterable) -> Iterator[Item]:
    """Uploaded files (Django UploadedFile): zips are opened, other files read."""
    for upload in files:
        yield from _iter_handle(upload, upload.name, upload.size)


def iter_staged(staged: Iterable[dict]) -> Iterator[Item]:
    """Uploads a worker picks up from storage (see ``stage_uploads``)."""
    for entry in staged:
        try:
            handle = default_storage.open(entry["path"], "rb")
        except OSError:
            yield Item(entry["name"], error="the uploaded file is no longer in storage")
            continue
        with handle:
            yield from _iter_handle(handle, entry["name"], handle.size)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_item(item: Item, *, batch: ImportBatch, suggester: Suggester) -> Outcome:
    """Import one file in its own transaction; never raises for bad input."""
    if item.error:
        return Outcome(item.name, Status.FAILED, item.error, size=item.size)
    assert item.data is not None
    try:
        text = normalise(decode_bytes(item.data))
    except DecodeError as exc:
        return Outcome(item.name, Status.FAILED, str(exc), size=item.size)
    if not text.strip():
        return Outcome(item.name, Status.FAILED, "the file has no text", size=item.size)
    digest = content_hash(text)
    existing = Article.objects.filter(content_hash=digest).only("pk", "title").first()
    if existing:
        return _duplicate(item, existing)
    try:
        with transaction.atomic():
            article = Article(
                title=title_from(text),
                body=text,
                content_hash=digest,
                original_filename=PurePosixPath(item.name.replace("\\", "/")).name[:500],
                batch=batch,
            )
            # No history row for the import itself: the first change records the text as
            # imported (attributions.actions), so an untouched article is stored once.
            article.skip_history_when_saving = True
            article.save()
            statements = suggester.add_statements(article)
    except IntegrityError:
        suggester.forget_sources()
        existing = Article.objects.filter(content_hash=digest).only("pk", "title").first()
        if existing:
            return _duplicate(item, existing)
        raise
    return Outcome(
        item.name,
        Status.IMPORTED,
        f"{len(statements)} statement{pluralize(len(statements))}",
        article=article,
        size=item.size,
    )


def _duplicate(item: Item, existing: Article) -> Outcome:
    return Outcome(
        item.name,
        Status.DUPLICATE,
        f"same text as article #{existing.pk} “{existing.title[:80]}”",
        article=existing,
        size=item.size,
    )


def run_import(
    items: Iterable[Item],
    *,
    origin: str = ImportBatch.Origin.COMMAND,
    user=None,
    progress: Callable[[int, Outcome], None] | None = None,
    batch: ImportBatch | None = None,
    suggester: Suggester | None = None,
) -> ImportBatch:
    """Import every item, recording a per-file report on ``batch`` (a new one by default).

    ``suggester`` segments each article and stores its suggestions (the configured one by
    default). The totals are saved every few files, so a batch page can show progress, and
    once more at the end whatever happens; an error outside any one file marks the batch as
    stopped.
    """
    if batch is None:
        batch = ImportBatch.objects.create(origin=origin, created_by=user, state=ImportBatch.State.RUNNING)
    if suggester is None:
        suggester = configured_suggester()
    counts = {Status.IMPORTED: 0, Status.DUPLICATE: 0, Status.FAILED: 0}
    batch.state = ImportBatch.State.FAILED
    try:
        for number, item in enumerate(items, start=1):
            try:
                outcome = import_item(item, batch=batch, suggester=suggester)
            except Exception as exc:  # one broken file must not stop the batch
                logger.exception("Import of %s failed", item.name)
                suggester.forget_sources()  # sources it created were rolled back with it
                outcome = Outcome(item.name, Status.FAILED, f"internal error: {exc}"[:500], size=item.size)
            ImportFile.objects.create(
                batch=batch,
                name=outcome.name[:500],
                size=outcome.size,
                status=outcome.status,
                message=outcome.message[:500],
                article=outcome.article,
            )
            counts[outcome.status] += 1
            if number % PROGRESS_EVERY == 0:
                _save_totals(batch, counts)
            if progress:
                progress(number, outcome)
        batch.state = ImportBatch.State.DONE
    except Exception as exc:
        logger.exception("Import batch %s stopped", batch.pk)
        batch.error = f"The import stopped: {exc}"[:2000]
        raise
    finally:
        batch.finished_at = timezone.now()
        _save_totals(batch, counts, "state", "error", "finished_at")
        cache.delete_many(["site-figures", "source-counts"])  # new statements: recount now
    return batch


PROGRESS_EVERY = 25


def _save_totals(batch: ImportBatch, counts: dict, *fields: str) -> None:
    batch.imported_count = counts[Status.IMPORTED]
    batch.duplicate_count = counts[Status.DUPLICATE]
    batch.failed_count = counts[Status.FAILED]
    batch.save(update_fields=["imported_count", "duplicate_count", "failed_count", *fields])


def import_staged(batch_id: int) -> ImportBatch | None:
    """A worker's side of ``stage_uploads``: import a queued batch once, then drop its files."""
    taken = ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.QUEUED).update(
        state=ImportBatch.State.RUNNING
    )
    if not taken:  # already imported, or being imported by another worker
        return None
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        return run_import(iter_staged(batch.staged), batch=batch)
    finally:
        remove_staged(batch.staged)
        ImportBatch.objects.filter(pk=batch.pk).update(staged=[])


def remove_staged(staged: Iterable[dict]) -> None:
    for entry in staged:
        try:
            default_storage.delete(entry["path"])
        except OSError:
            logger.warning("Could not remove staged upload %s", entry["path"])
