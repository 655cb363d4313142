"""Where a batch's files are until a worker imports them, and how they are listed and read.

Planning lists files without reading them (a zip's directory, a folder's entries) and gives
each an *entry*: a small dict kept in its chunk (``ImportChunk.items``) that says where the
bytes are:

- ``{"name", "size", "upload": id, "member"?}``: a staged upload (its bytes in the database,
  or in the "imports" storage), or one member of a staged zip;
- ``{"name", "size", "path", "root"?, "member"?}``: a file on the disk of the machine that runs
  the import_articles command, which must still lie inside ``root`` when it is read;
- ``{"name", "size", "held": id, "encoding"}``: a file kept for a re-run with a chosen encoding.

Refusals found while planning (an unsafe zip path, a file over the size limit, a symbolic
link leading out of the folder) are ``Refusal`` objects, reported like any failed file.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.storage import storages
from django.utils.text import get_valid_filename

from articles.models import HeldFile, ImportBatch, StagedPart, StagedUpload


@dataclass
class Refusal:
    name: str
    reason: str
    message: str
    size: int = 0


@dataclass
class Item:
    """One file to import: its name and either its bytes or why it cannot be read."""

    name: str
    data: bytes | None = None
    error: str = ""
    size: int = 0
    reason: str = ""
    encoding: str = ""  # chosen by the admin for this file
    held: int | None = None  # the HeldFile this re-run reads


def max_file_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES


def too_big(name: str, size: int) -> Refusal:
    return Refusal(
        name,
        "too-large",
        f"refused: file is too large ({size:,} bytes; the limit is {max_file_bytes():,})",
        size,
    )


def unsafe_member_reason(name: str) -> str:
    """Why a zip member's path is refused, or '' when it is safe."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return "refused: absolute path inside the zip"
    if ".." in PurePosixPath(normalised).parts:
        return "refused: '..' in the path inside the zip"
    return ""


def is_zip(name: str, handle: IO[bytes]) -> bool:
    """A .zip by its name, or by its first bytes (a zip starts with "PK"; testing a text file
    with zipfile.is_zipfile would read its end looking for a directory)."""
    if name.lower().endswith(".zip"):
        return True
    handle.seek(0)
    found = handle.read(2) == b"PK" and (handle.seek(0) == 0 and zipfile.is_zipfile(handle))
    handle.seek(0)
    return found


def list_zip(handle: IO[bytes], label: str, base: dict) -> Iterator[dict | Refusal]:
    """The members of a zip as entries (``base`` plus member, name, size), from its directory."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Refusal(label, "unreadable", f"not a readable zip archive ({exc})")
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = f"{label}/{info.filename}"
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if parts and (parts[0] == "__MACOSX" or parts[-1].startswith(".")):
                continue
            reason = unsafe_member_reason(info.filename)
            if reason:
                yield Refusal(name, "unsafe-path", reason, info.file_size)
            elif info.file_size > max_file_bytes():
                yield too_big(name, info.file_size)
            else:
                yield {**base, "member": info.filename, "name": name, "size": info.file_size}


# --------------------------------------------------------------------------- folders


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def list_paths(paths: Iterable[str | Path]) -> Iterator[dict | Refusal]:
    """Files, folders (recursively; hidden entries skipped) and zip archives on this disk.

    Symbolic links found inside a folder are followed only while they stay inside it: a link
    leading out of the folder is refused with a message. (A path named on the command line is
    taken as given.)
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _list_folder(path)
        elif path.is_file():
            yield from _list_file(str(path), os.path.realpath(path), root="")
        else:
            yield Refusal(str(path), "missing", "no such file or folder")


def _list_folder(folder: Path) -> Iterator[dict | Refusal]:
    root = os.path.realpath(folder)
    for directory, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(dirnames):
            link = os.path.join(directory, name)
            if os.path.islink(link):
                target = os.path.realpath(link)
                if not _inside(target, root):
                    yield _outside(link, target, folder)
                # a link to a folder inside the tree: that folder is listed where it lies
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            shown = os.path.join(directory, name)
            target = os.path.realpath(shown)
            if not _inside(target, root):
                yield _outside(shown, target, folder)
            elif os.path.isfile(target):
                yield from _list_file(shown, target, root=root)


def _outside(link: str, target: str, folder: Path) -> Refusal:
    return Refusal(
        link, "symlink", f"refused: a symbolic link leading out of {folder} (to {target}) is not followed"
    )


def _list_file(shown: str, real: str, *, root: str) -> Iterator[dict | Refusal]:
    base = {"path": real, "root": root} if root else {"path": real}
    size = os.path.getsize(real)
    with open(real, "rb") as handle:
        if is_zip(shown, handle):
            yield from list_zip(handle, shown, base)
            return
    if size > max_file_bytes():
        yield too_big(shown, size)
    else:
        yield {**base, "name": shown, "size": size}


# --------------------------------------------------------------------------- staging


def stage(batch: ImportBatch, handle: IO[bytes], name: str) -> StagedUpload:
    """Keep an uploaded file until the batch ends: in the database (parts of a few MB), or in
    the "imports" storage when IMPORT_STAGING is "storage". Memory stays at one part."""
    handle.seek(0)
    upload = StagedUpload.objects.create(batch=batch, name=name[:500])
    if settings.IMPORT_STAGING == "storage":
        safe = get_valid_filename(PurePosixPath(name.replace("\\", "/")).name) or "upload"
        upload.storage_name = storages["imports"].save(f"{batch.pk}/{upload.pk}-{safe}", handle)
        upload.size = storages["imports"].size(upload.storage_name)
    else:
        index = 0
        while block := handle.read(settings.IMPORT_STAGING_PART_BYTES):
            StagedPart.objects.create(upload=upload, index=index, data=block)
            upload.size += len(block)
            index += 1
    upload.save(update_fields=["storage_name", "size"])
    return upload


def remove_staged(batch_id: int) -> None:
    """Drop a batch's staged files and folders (whatever became of the batch)."""
    storage = storages["imports"]
    for name in (
        StagedUpload.objects.filter(batch_id=batch_id)
        .exclude(storage_name="")
        .values_list("storage_name", flat=True)
    ):
        with contextlib.suppress(OSError):
            storage.delete(name)
    StagedUpload.objects.filter(batch_id=batch_id).delete()  # and their parts
    _remove_folder(storage, str(batch_id))


def _remove_folder(storage, folder: str) -> None:
    """An empty folder left on a file-system storage goes too (object stores have none)."""
    try:
        path = storage.path(folder)
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):
        os.rmdir(path)


class PartsFile(io.RawIOBase):
    """A staged upload's database parts as one seekable file (so zipfile can read members
    without loading the whole archive): at most one part in memory."""

    def __init__(self, upload: StagedUpload) -> None:
        super().__init__()
        self.upload_id = upload.pk
        self.length = upload.size
        self.part_bytes = settings.IMPORT_STAGING_PART_BYTES
        self.position = 0
        self._part: tuple[int, bytes] = (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.length:
            return 0
        index, offset = divmod(self.position, self.part_bytes)
        if self._part[0] != index:
            data = StagedPart.objects.filter(upload_id=self.upload_id, index=index).values_list(
                "data", flat=True
            )
            self._part = (index, bytes(data.get()))
        chunk = self._part[1][offset : offset + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


class Reader:
    """Reads entries into items for one worker; keeps the last zip it opened open, since a
    chunk's members come from the same archive."""

    def __init__(self) -> None:
        self._zip_key: object = None
        self._zip: zipfile.ZipFile | None = None
        self._handle: IO[bytes] | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._handle is not None:
            self._handle.close()
        self._zip = self._handle = self._zip_key = None

    def read(self, entry: dict) -> Item:
        name, size = entry["name"], entry.get("size", 0)
        try:
            if "held" in entry:
                held = HeldFile.objects.filter(pk=entry["held"]).values_list("data", flat=True).first()
                if held is None:
                    return Item(name, error="the kept file is no longer there", reason="missing", size=size)
                return Item(
                    name, data=bytes(held), size=size, encoding=entry.get("encoding", ""), held=entry["held"]
                )
            if "member" in entry:
                return self._member(entry)
            with self._open(entry) as handle:
                return read_limited(handle, name)
        except FileNotFoundError:
            return Item(name, error="the file is no longer there", reason="missing", size=size)
        except StagedUpload.DoesNotExist:
            return Item(name, error="the uploaded file is no longer in storage", reason="missing", size=size)
        except PermissionError as exc:
            return Item(name, error=f"the file could not be read ({exc})", reason="unreadable", size=size)
        except ValueError as exc:  # a path that left its folder since it was listed
            return Item(name, error=str(exc), reason="symlink", size=size)

    def _open(self, entry: dict) -> IO[bytes]:
        if "upload" in entry:
            upload = StagedUpload.objects.get(pk=entry["upload"])
            if upload.storage_name:
                try:
                    return storages["imports"].open(upload.storage_name, "rb")
                except OSError as exc:
                    raise FileNotFoundError(upload.storage_name) from exc
            return io.BufferedReader(PartsFile(upload), buffer_size=64 * 1024)
        path = real = entry["path"]
        root = entry.get("root", "")
        if root:  # listed inside a folder: it must still be there when it is read
            real = os.path.realpath(path)
            if not _inside(real, root):
                raise ValueError(f"refused: {path} now leads out of {root} (to {real})")
        return open(real, "rb")

    def _member(self, entry: dict) -> Item:
        key = entry.get("upload") or entry.get("path")
        if key != self._zip_key:
            self._close()
            self._handle = self._open(entry)
            try:
                self._zip = zipfile.ZipFile(self._handle)
            except (zipfile.BadZipFile, OSError) as exc:
                self._close()
                return Item(entry["name"], error=f"not a readable zip archive ({exc})", reason="unreadable")
            self._zip_key = key
        assert self._zip is not None
        try:
            with self._zip.open(entry["member"]) as handle:
                return read_limited(handle, entry["name"])
        except (KeyError, zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError, EOFError) as exc:
            return Item(entry["name"], error=f"could not be read from the zip ({exc})", reason="unreadable")


def read_limited(handle: IO[bytes], name: str) -> Item:
    """Read at most the size limit (plus one byte, to notice a longer stream)."""
    limit = max_file_bytes()
    data = handle.read(limit + 1)
    if len(data) > limit:
        refusal = too_big(name, len(data))
        return Item(name, error=refusal.message, reason=refusal.reason, size=len(data))
    return Item(name, data=data, size=len(data))
