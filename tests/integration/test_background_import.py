"""Large uploads: staged in the database, split into chunks, each a task any worker takes;
a dead worker's chunk is claimed again; every file ends exactly once."""

from __future__ import annotations

import io
import os
import signal
import time
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import importing
from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, ImportChunk, ImportFile, StagedPart, StagedUpload
from articles.tasks import reap_and_requeue

pytestmark = pytest.mark.django_db
URL = "/admin/articles/importbatch/upload/"
State = ImportBatch.State
Chunk = ImportChunk.State


@pytest.fixture
def queued(settings, tmp_path, registry):
    """Every upload goes to the workers; chunks of at most 2 files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_INLINE_MAX_BYTES = 0
    settings.IMPORT_CHUNK_FILES = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def story(n: int) -> str:
    return f"Story {n}\n\nThe harbour master said ship number {n} waits outside the port."


def _uploads():
    return [
        SimpleUploadedFile("mayor.txt", b"Mayor story\n\nThe mayor said the bridge reopens in May."),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile(
            "bundle.zip",
            _zip({"a/port.txt": story(1), "b/second.txt": story(2), "../escape.txt": "Escape\n\nNo."}),
        ),
    ]


# The worker closes the database connection between tasks, as a long-running process should;
# tests that run it therefore need real transactions rather than one wrapped around the test.
worker_db = pytest.mark.django_db(transaction=True)


def _work():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def exactly_once(batch: ImportBatch) -> None:
    """Every planned file has one report row, and the counts say the same."""
    batch.refresh_from_db()
    rows = list(batch.files.values_list("name", flat=True))
    assert len(rows) == len(set(rows)) == batch.total_files == batch.total_count
    by_status = {s: batch.files.filter(status=s).count() for s in ImportFile.Status.values}
    assert (batch.imported_count, batch.duplicate_count, batch.failed_count) == (
        by_status["imported"],
        by_status["duplicate"],
        by_status["failed"],
    )
    assert Article.objects.filter(batch=batch).count() == batch.imported_count


@worker_db
def test_a_large_upload_is_chunks_of_tasks_that_a_worker_imports(client, admin_user, queued):
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.QUEUED and batch.created_by == admin_user
    assert "5 files queued for import" in response.text
    assert '<meta http-equiv="refresh"' in response.text  # the page follows the import
    assert StagedUpload.objects.filter(batch=batch).count() == 3 and StagedPart.objects.exists()
    assert not Article.objects.exists()
    chunks = list(batch.chunks.order_by("number"))
    assert [c.file_count for c in chunks] == [2, 2]  # by count (IMPORT_CHUNK_FILES = 2)
    assert DBTaskResult.objects.count() == 2
    assert {c.task_id for c in chunks} == {
        str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)
    }

    _work()

    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.finished_at is not None
    assert (batch.imported_count, batch.duplicate_count, batch.failed_count) == (3, 0, 2)
    exactly_once(batch)
    reasons = dict(ImportFile.objects.values_list("name", "message"))
    assert "empty" in reasons["empty.txt"]
    assert "'..'" in reasons["bundle.zip/../escape.txt"]
    assert not StagedUpload.objects.exists() and not StagedPart.objects.exists()  # removed at the end
    page = client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text
    assert "5 of 5 files done" in page and '<meta http-equiv="refresh"' not in page
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_chunks_are_cut_by_bytes_too(queued, registry):
    queued.IMPORT_CHUNK_FILES = 100
    queued.IMPORT_CHUNK_BYTES = 100
    entries = [{"name": f"f{i}", "size": 60, "path": "/nonexistent"} for i in range(5)]
    batch = importing.plan(entries, origin=ImportBatch.Origin.COMMAND)
    assert [c.file_count for c in batch.chunks.order_by("number")] == [1, 1, 1, 1, 1]
    queued.IMPORT_CHUNK_BYTES = 130
    batch = importing.plan(entries, origin=ImportBatch.Origin.COMMAND)
    assert [c.file_count for c in batch.chunks.order_by("number")] == [2, 2, 1]
    assert batch.total_files == 5 and batch.total_bytes == 300


def test_a_batch_past_its_size_limit_refuses_the_rest_by_name(queued, registry):
    queued.IMPORT_MAX_BATCH_BYTES = 150
    entries = [{"name": f"f{i}", "size": 60, "path": "/nonexistent"} for i in range(4)]
    batch = importing.plan(entries, origin=ImportBatch.Origin.COMMAND)
    refused = batch.files.get(name="f2")
    assert refused.status == ImportFile.Status.FAILED and refused.reason == "batch-limit"
    assert "over its limit of 150 bytes" in refused.message
    assert batch.total_files == 4 and batch.failed_count == 2 and batch.total_bytes == 120


def test_a_chunk_is_imported_once_even_if_its_task_runs_twice(client, admin_user, queued):
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()[:1]})
    chunk = ImportChunk.objects.get()
    assert importing.process_chunk(chunk.pk) is not None
    assert importing.process_chunk(chunk.pk) is None
    assert ImportFile.objects.count() == 1 and Article.objects.count() == 1


@worker_db
def test_a_killed_workers_chunk_is_claimed_again_and_every_file_ends_once(client, admin_user, queued):
    """A worker took the first chunk and died (SIGKILL: no clean-up at all). Its lease runs
    out; the reaper every worker runs puts the chunk back, marks its task failed and queues
    it again; the batch completes with exact counts."""
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()})
    batch = ImportBatch.objects.get()
    first = batch.chunks.get(number=0)
    dead_task = DBTaskResult.objects.get(pk=first.task_id)
    dead_task.claim("dead-worker")  # the task was running ...
    assert importing.claim(first.pk, "otherhost:4242")  # ... and held the chunk, then died
    ImportChunk.objects.filter(pk=first.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    _work()  # the worker's reaper runs at start: the chunk goes back and is queued again

    dead_task.refresh_from_db()
    assert dead_task.status == "FAILED" and "lease" in dead_task.traceback
    first.refresh_from_db()
    assert first.state == Chunk.DONE and first.attempts == 1
    batch.refresh_from_db()
    assert batch.state == State.DONE
    exactly_once(batch)
    assert (batch.imported_count, batch.failed_count) == (3, 2)


def test_a_live_lease_is_not_taken(queued, registry):
    batch = importing.plan([{"name": "a", "size": 1, "path": "/x"}], origin=ImportBatch.Origin.COMMAND)
    chunk = batch.chunks.get()
    assert importing.claim(chunk.pk, "alive:1")
    assert not importing.claim(chunk.pk, "other:2")
    assert importing.reap() == 0
    chunk.refresh_from_db()
    assert chunk.state == Chunk.CLAIMED and chunk.worker == "alive:1"


def test_a_worker_that_lost_its_lease_writes_nothing(queued, registry, tmp_path, monkeypatch):
    """Slow, not dead: by the time it commits, its chunk went to another worker."""
    (tmp_path / "a.txt").write_text(story(1))
    batch = importing.plan_paths([tmp_path / "a.txt"], origin=ImportBatch.Origin.COMMAND)
    chunk = batch.chunks.get()
    real_analyse = importing.configured_suggester().__class__.analyse

    def slow(self, text, language):
        ImportChunk.objects.filter(pk=chunk.pk).update(worker="another:1")  # taken meanwhile
        return real_analyse(self, text, language)

    monkeypatch.setattr(importing.configured_suggester().__class__, "analyse", slow)
    report = importing.process_chunk(chunk.pk, worker="slow:1")
    assert report.lost and not ImportFile.objects.exists() and not Article.objects.exists()


def test_a_file_that_kills_its_worker_every_time_is_reported_and_the_others_import(
    queued, registry, tmp_path
):
    queued.IMPORT_MAX_ATTEMPTS = 2
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(story(n))
    batch = importing.plan_paths([tmp_path], origin=ImportBatch.Origin.COMMAND)
    queued.IMPORT_CHUNK_FILES = 3

    def die(chunk_id):
        assert importing.claim(chunk_id, "doomed:1")
        ImportChunk.objects.filter(pk=chunk_id).update(lease_until=timezone.now() - timedelta(seconds=1))
        importing.reap()

    first = batch.chunks.get(number=0)  # files 0 and 1
    die(first.pk)
    die(first.pk)  # second death: split into single files
    assert batch.chunks.count() == 3
    die(first.pk)
    die(first.pk)  # the single file 0 killed its worker twice: reported failed
    importing.work_on(batch.pk)
    batch.refresh_from_db()
    exactly_once(batch)
    assert batch.state == State.DONE and (batch.imported_count, batch.failed_count) == (2, 1)
    assert "stopped 2 times" in batch.files.get(status=ImportFile.Status.FAILED).message


@worker_db
def test_sigterm_stops_after_the_current_file_and_puts_the_rest_back(queued, registry, tmp_path, monkeypatch):
    queued.IMPORT_CHUNK_FILES = 3
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(story(n))
    batch = importing.plan(
        [{**e, "root": ""} for e in importing.list_paths([tmp_path])], origin=ImportBatch.Origin.COMMAND
    )
    from articles.tasks import queue_batch

    queue_batch(batch)
    suggester_class = importing.configured_suggester().__class__
    real_analyse = suggester_class.analyse
    calls = []

    def analyse(self, text, language):
        calls.append(text)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # the worker is told to stop during file 1
        return real_analyse(self, text, language)

    monkeypatch.setattr(suggester_class, "analyse", analyse)
    importing.stop.clear()
    _work()  # stops after the first file: db_worker exits once its task returns
    batch.refresh_from_db()
    assert batch.imported_count == 1 and batch.state == State.RUNNING
    chunk = batch.chunks.get()
    assert chunk.state == Chunk.PENDING and chunk.file_count == 2
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the rest, queued again

    importing.stop.clear()
    _work()
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.imported_count == 3
    exactly_once(batch)


@worker_db
def test_a_worker_on_another_host_needs_only_the_database(client, admin_user, queued, tmp_path):
    """Staged uploads live in the database: a worker whose media folder is empty (another
    host) imports them."""
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()})
    assert not (tmp_path / "media").exists()  # the web process stored nothing on its disk
    queued.MEDIA_ROOT = tmp_path / "elsewhere"
    (tmp_path / "elsewhere").mkdir()
    _work()
    batch = ImportBatch.objects.get()
    assert batch.state == State.DONE and batch.imported_count == 3
    assert list((tmp_path / "elsewhere").iterdir()) == []


@worker_db
def test_staging_in_a_storage_works_and_its_folder_is_removed(client, admin_user, queued, tmp_path):
    queued.IMPORT_STAGING = "storage"
    queued.STORAGES = {
        **queued.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "staged")},
        },
    }
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()})
    batch = ImportBatch.objects.get()
    assert len(os.listdir(tmp_path / "staged" / str(batch.pk))) == 3
    _work()
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.imported_count == 3
    assert not (tmp_path / "staged" / str(batch.pk)).exists()


def test_staged_files_go_when_a_batch_fails_too(client, admin_user, queued, monkeypatch):
    from articles import staging

    real_stage = staging.stage
    calls = []

    def stage(batch, handle, name):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_stage(batch, handle, name)

    monkeypatch.setattr(staging, "stage", stage)
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.FAILED and "No space left on device" in batch.error
    assert "please upload again" in response.text
    assert not DBTaskResult.objects.exists()
    assert not StagedUpload.objects.exists() and not StagedPart.objects.exists()


def test_small_uploads_import_while_the_admin_waits(client, admin_user, queued):
    queued.IMPORT_INLINE_MAX_BYTES = 10_000
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()[:1]}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.DONE and batch.imported_count == 1
    assert "1 imported, 0 duplicate, 0 failed" in response.text
    assert not DBTaskResult.objects.exists() and not StagedUpload.objects.exists()


def test_whether_an_upload_waits_is_decided_by_its_expanded_size(client, admin_user, queued):
    """A tiny zip of long texts without punctuation (933 KB once expanded to 600 MB) no longer
    runs inside the request: its expanded size sends it to the workers, who refuse each
    member by name, quickly."""
    queued.IMPORT_INLINE_MAX_BYTES = 50_000
    junk = "word " * 9_000  # 45 KB, no sentence end
    archive = _zip({f"junk{n}.txt": f"Title\n\n{junk}" for n in range(6)})
    assert len(archive) < 5_000
    client.force_login(admin_user)
    response = client.post(URL, {"files": [SimpleUploadedFile("junk.zip", archive)]}, follow=True)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.state == State.QUEUED and batch.total_bytes > 50_000
    assert not ImportFile.objects.exists()  # nothing imported in the request
    for chunk in batch.chunks.all():
        importing.process_chunk(chunk.pk)
    batch.refresh_from_db()
    assert batch.failed_count == 6 and batch.state == State.DONE
    assert {f.reason for f in batch.files.all()} == {"not-prose"}
    assert "without a sentence end" in batch.files.first().message


def test_the_batch_page_says_when_no_worker_is_running(client, admin_user, queued):
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()})
    batch = ImportBatch.objects.get()
    page = client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text
    assert "waiting for a worker" in page and "No worker is running" not in page
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    page = client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text
    assert "No worker is running" in page
    # a worker holding a chunk with a live lease is running, however long since the last file
    importing.claim(batch.chunks.first().pk, "busy:1")
    page = client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text
    assert "No worker is running" not in page


def test_progress_shows_rate_and_time_left(queued, registry):
    from articles import progress

    batch = importing.plan(
        [{"name": f"f{i}", "size": 1000, "path": "/x"} for i in range(10)], origin=ImportBatch.Origin.COMMAND
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=State.RUNNING,
        started_at=timezone.now() - timedelta(seconds=10),
        imported_count=4,
        done_bytes=4000,
        last_progress_at=timezone.now(),
    )
    batch.refresh_from_db()
    shown = progress.describe(batch)
    assert (shown.done, shown.total, shown.percent) == (4, 10, 40)
    assert 0.3 < shown.files_per_second < 0.5 and 10 < shown.seconds_left < 20
    assert "4 of 10 files done; 0.4 files/s" in shown.summary() and "left" in shown.summary()


def test_an_error_outside_any_file_stops_the_batch_and_keeps_its_totals(registry):
    def items():
        yield Item("fine.txt", data=b"Fine\n\nThe clerk said the office opens at nine.")
        raise OSError("the archive vanished")

    with pytest.raises(OSError):
        run_import(items(), origin=ImportBatch.Origin.COMMAND)
    batch = ImportBatch.objects.get()
    assert batch.state == State.FAILED and "the archive vanished" in batch.error
    assert batch.finished_at is not None


@worker_db
def test_a_real_worker_killed_with_sigkill(queued, registry, tmp_path):
    """The real thing, quickly: a forked worker is killed mid-chunk with SIGKILL; the chunk is
    claimed again and every file ends once."""
    queued.IMPORT_CHUNK_FILES = 4
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(story(n))
    batch = importing.plan_paths([tmp_path], origin=ImportBatch.Origin.COMMAND)
    chunk = batch.chunks.get()
    connections.close_all()
    pid = os.fork()
    if pid == 0:  # the worker: claims the chunk, then hangs in the engine until it is killed
        try:
            connections.close_all()
            suggester_class = importing.configured_suggester().__class__
            suggester_class.analyse = lambda self, text, language: time.sleep(60)
            importing.process_chunk(chunk.pk, worker="doomed:1")
        finally:
            os._exit(0)
    for _ in range(200):
        if ImportChunk.objects.get(pk=chunk.pk).state == Chunk.CLAIMED:
            break
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunk.refresh_from_db()
    assert chunk.state == Chunk.CLAIMED and chunk.worker == "doomed:1"
    ImportChunk.objects.filter(pk=chunk.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert importing.reap() == 1
    batch.refresh_from_db()
    assert batch.state == State.INTERRUPTED  # a command's batch: resumed by --resume
    importing.work_on(batch.pk)
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.imported_count == 4
    exactly_once(batch)


def test_reap_and_requeue_queues_a_chunk_whose_task_vanished(client, admin_user, queued):
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()[:1]})
    DBTaskResult.objects.all().delete()  # pruned, or failed before it claimed its chunk
    assert reap_and_requeue() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
