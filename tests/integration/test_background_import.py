"""Large uploads: stored, queued for a worker (django-tasks), imported with a progress page."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles import importing
from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, ImportFile

pytestmark = pytest.mark.django_db
URL = "/admin/articles/importbatch/upload/"
State = ImportBatch.State


@pytest.fixture
def queued(settings, tmp_path, registry):
    """Every upload is 'large', kept in a throwaway media folder, queued in the database."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_INLINE_MAX_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _uploads():
    return [
        SimpleUploadedFile("mayor.txt", b"Mayor story\n\nThe mayor said the bridge reopens in May."),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile(
            "bundle.zip",
            _zip(
                {
                    "a/port.txt": "Port story\n\nThe harbour master said ships wait outside.",
                    "../escape.txt": "Escape\n\nNo.",
                }
            ),
        ),
    ]


# The worker closes the database connection between tasks, as a long-running process should;
# tests that run it therefore need real transactions rather than one wrapped around the test.
worker_db = pytest.mark.django_db(transaction=True)


def _work():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def _staged_files(batch) -> list[str]:
    folder = f"imports/{batch.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


@worker_db
def test_large_upload_is_queued_then_a_worker_imports_it(client, admin_user, queued):
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.QUEUED and batch.created_by == admin_user
    assert "3 files queued for import" in response.text
    assert "waiting for a worker" in response.text
    assert '<meta http-equiv="refresh"' in response.text  # the page follows the import
    assert sorted(_staged_files(batch)) == ["bundle.zip", "empty.txt", "mayor.txt"]
    assert not Article.objects.exists() and not ImportFile.objects.exists()
    assert DBTaskResult.objects.count() == 1

    _work()

    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.finished_at is not None
    assert (batch.imported_count, batch.duplicate_count, batch.failed_count) == (2, 0, 2)
    assert set(Article.objects.values_list("title", flat=True)) == {"Mayor story", "Port story"}
    reasons = dict(ImportFile.objects.values_list("name", "message"))
    assert "empty" in reasons["empty.txt"]
    assert "'..'" in reasons["bundle.zip/../escape.txt"]
    assert _staged_files(batch) == [] and batch.staged == []
    page = client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text
    assert (
        "4 files done" in page
        and "Save and continue" not in page
        and '<meta http-equiv="refresh"' not in page
    )
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_batch_is_imported_once_even_if_its_task_runs_twice(client, admin_user, queued):
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()[:1]})
    batch = ImportBatch.objects.get()
    assert importing.import_staged(batch.pk) is not None
    assert importing.import_staged(batch.pk) is None
    assert ImportFile.objects.count() == 1 and Article.objects.count() == 1


@worker_db
def test_a_staged_file_gone_from_storage_is_reported_and_the_rest_import(client, admin_user, queued):
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()[:2]})
    batch = ImportBatch.objects.get()
    default_storage.delete(batch.staged[0]["path"])
    _work()
    batch.refresh_from_db()
    assert batch.state == State.DONE
    gone = ImportFile.objects.get(name="mayor.txt")
    assert gone.status == ImportFile.Status.FAILED and "no longer in storage" in gone.message
    assert ImportFile.objects.get(name="empty.txt").status == ImportFile.Status.FAILED


def test_storage_failure_queues_nothing_and_says_why(client, admin_user, queued, monkeypatch):
    saved = []
    real_save = default_storage.save

    def save(name, content, **kwargs):
        if saved:
            raise OSError("No space left on device")
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save)
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.FAILED and "No space left on device" in batch.error
    assert "please upload again" in response.text
    assert not DBTaskResult.objects.exists()
    assert saved and not default_storage.exists(saved[0])  # nothing left behind


def test_small_uploads_still_import_while_the_admin_waits(client, admin_user, queued):
    queued.IMPORT_INLINE_MAX_BYTES = 10_000
    client.force_login(admin_user)
    response = client.post(URL, {"files": _uploads()[:1]}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.state == State.DONE and batch.imported_count == 1
    assert "1 imported, 0 duplicate, 0 failed" in response.text
    assert not DBTaskResult.objects.exists()


def test_immediate_backend_imports_a_large_upload_at_once(client, admin_user, queued):
    queued.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(admin_user)
    client.post(URL, {"files": _uploads()})
    batch = ImportBatch.objects.get()
    assert batch.state == State.DONE and batch.imported_count == 2
    assert _staged_files(batch) == []


def test_an_error_outside_any_file_stops_the_batch_and_keeps_its_totals(registry):
    def items():
        yield Item("fine.txt", data=b"Fine\n\nThe clerk said the office opens at nine.")
        raise OSError("the archive vanished")

    with pytest.raises(OSError):
        run_import(items(), origin=ImportBatch.Origin.COMMAND)
    batch = ImportBatch.objects.get()
    assert batch.state == State.FAILED and "the archive vanished" in batch.error
    assert batch.imported_count == 1 and batch.finished_at is not None
