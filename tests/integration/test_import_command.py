"""import_articles: the same pipeline from the command line; workers, resume, symlinks, exit codes."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from articles import importing
from articles.models import Article, ImportBatch, ImportChunk, ImportFile, StagedUpload

pytestmark = pytest.mark.django_db
State = ImportBatch.State


def story(n: int) -> str:
    return f"Story {n}\n\nThe harbour master said ship number {n} waits outside the port."


def folder(tmp_path, count: int):
    base = tmp_path / "articles"
    base.mkdir()
    for n in range(count):
        (base / f"{n:02}.txt").write_text(story(n))
    return base


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_articles", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_all_good_exits_zero_and_reports(tmp_path, registry):
    report = run(str(folder(tmp_path, 3)))
    assert "3 imported, 0 duplicate, 0 failed (3 of 3 files)" in report
    assert ImportBatch.objects.get().state == State.DONE


def test_a_failed_file_exits_one_with_a_summary_of_why(tmp_path, registry):
    base = folder(tmp_path, 2)
    (base / "empty.txt").write_bytes(b"")
    (base / "junk.txt").write_text("Junk\n\n" + "word " * 5000)
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_articles", str(base), "--no-progress", stdout=out)
    assert failed.value.returncode == 1 and "2 files failed" in str(failed.value)
    assert "Why files failed: 1 empty, 1 not article prose." in out.getvalue()


def test_symlinks_leading_out_of_the_folder_are_refused(tmp_path, registry):
    base = folder(tmp_path, 1)
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.txt").write_text("Secret\n\nThe password said nothing.")
    os.symlink(secret / "secret.txt", base / "link.txt")
    os.symlink(secret, base / "linked-folder")
    os.symlink(base / "00.txt", base / "inside-link.txt")  # stays inside: followed
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(base), "--no-progress", stdout=out)
    refused = {f.name.rsplit("/", 1)[-1]: f for f in ImportFile.objects.filter(status="failed")}
    assert set(refused) == {"link.txt", "linked-folder"}
    assert "symbolic link leading out of" in refused["link.txt"].message
    assert not Article.objects.filter(title="Secret").exists()
    assert ImportFile.objects.get(name__endswith="inside-link.txt").status == "duplicate"
    assert "2 symbolic links leading out of the folder" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_several_workers_share_one_batch(tmp_path, registry, settings):
    """Forked worker processes (they see only committed rows, hence a real transaction)."""
    settings.IMPORT_CHUNK_FILES = 2
    report = run(str(folder(tmp_path, 8)), "--workers", "3")
    batch = ImportBatch.objects.get()
    assert "8 imported" in report and batch.state == State.DONE
    assert batch.chunks.count() == 4 and not batch.chunks.exclude(state="done").exists()
    assert ImportFile.objects.count() == 8 and Article.objects.count() == 8


def test_ctrl_c_leaves_a_batch_that_resume_finishes(tmp_path, registry, settings, monkeypatch):
    settings.IMPORT_CHUNK_FILES = 2
    base = folder(tmp_path, 5)
    suggester_class = importing.configured_suggester().__class__
    real = suggester_class.analyse
    calls = []

    def analyse(self, text, language):
        calls.append(1)
        if len(calls) == 3:
            importing.stop.request()  # Ctrl-C while the third file is analysed
        return real(self, text, language)

    monkeypatch.setattr(suggester_class, "analyse", analyse)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"--resume \d+") as stopped:
        call_command("import_articles", str(base), "--no-progress", stdout=out)
    assert stopped.value.returncode == 130
    batch = ImportBatch.objects.get()
    assert batch.state == State.INTERRUPTED and batch.imported_count == 3
    assert batch.chunks.filter(state=ImportChunk.State.PENDING).exists()

    monkeypatch.setattr(suggester_class, "analyse", real)
    report = run("--resume", str(batch.pk))
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.imported_count == 5 and ImportFile.objects.count() == 5
    assert "5 imported" in report
    with pytest.raises(CommandError, match="nothing to resume"):
        run("--resume", str(batch.pk))


def test_background_stages_in_the_database_and_queues_chunks(tmp_path, registry, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_CHUNK_FILES = 2
    report = run(str(folder(tmp_path, 3)), "--background")
    batch = ImportBatch.objects.get()
    assert "3 files queued in 2 chunks" in report
    assert batch.mode == ImportBatch.Mode.QUEUE and StagedUpload.objects.filter(batch=batch).count() == 3
    assert DBTaskResult.objects.count() == 2
    for chunk in batch.chunks.all():
        importing.process_chunk(chunk.pk)
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.imported_count == 3 and not StagedUpload.objects.exists()


def test_a_chosen_encoding_reads_every_file(tmp_path, registry):
    base = tmp_path / "legacy"
    base.mkdir()
    (base / "pl.txt").write_bytes("Tytuł\n\nRzecznik powiedział, że będą ciężarówki.".encode("cp1250"))
    run(str(base), "--encoding", "windows-1250")
    assert Article.objects.get().body.endswith("będą ciężarówki.")
    assert ImportFile.objects.get().encoding == "cp1250"
    with pytest.raises(CommandError, match="Unknown encoding"):
        run(str(base), "--encoding", "klingon")


def test_nothing_to_import_is_an_error(tmp_path, registry):
    with pytest.raises(CommandError, match="No files found"):
        run(str(tmp_path))
    with pytest.raises(CommandError, match="Give the files"):
        run()
