"""The import_articles command and the import action: good files, bad files, duplicates."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from articles.importing import Item, iter_paths, run_import
from articles.models import Article, ImportBatch, ImportFile, Statement
from attributions.models import Attribution

pytestmark = pytest.mark.django_db

GOOD = "Local council meets\n\nThe council said on Monday that the bridge will reopen in May."


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def statuses(batch):
    return {f.name.rsplit("/", 1)[-1]: (f.status, f.message) for f in batch.files.all()}


def test_command_imports_folder_with_good_and_bad_files(tmp_path, registry):
    write(tmp_path, "a/1-good.txt", GOOD.encode())
    write(tmp_path, "a/empty.txt", b"")
    write(tmp_path, "a/binary.txt", bytes(range(256)) * 4)
    write(tmp_path, "a/2-again.txt", GOOD.encode("utf-8-sig"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 files failed") as failed:
        call_command("import_articles", str(tmp_path / "a"), "--no-progress", stdout=out)
    assert failed.value.returncode == 1
    report = out.getvalue()
    assert "1 imported, 1 duplicate, 2 failed (4 of 4 files)" in report
    assert "empty.txt" in report and "binary.txt" in report
    assert "Why files failed: 1 not plain text, 1 empty." in report
    batch = ImportBatch.objects.get()
    got = statuses(batch)
    assert got["1-good.txt"][0] == ImportFile.Status.IMPORTED
    assert got["2-again.txt"][0] == ImportFile.Status.DUPLICATE
    assert "empty" in got["empty.txt"][1]
    assert got["binary.txt"][0] == ImportFile.Status.FAILED and got["binary.txt"][1]
    article = Article.objects.get()
    assert article.title == "Local council meets"
    assert article.statements.count() >= 1


def test_encodings_decode_to_the_same_article(tmp_path, registry):
    text = "Café owners speak\n\nThe mayor said the café’s “terrace” would stay — for now."
    for index, encoding in enumerate(["utf-8", "utf-8-sig", "utf-16", "cp1252"]):
        path = write(tmp_path, f"f{index}.txt", text.encode(encoding))
        run_import(iter_paths([path]), origin=ImportBatch.Origin.COMMAND)
    assert Article.objects.count() == 1
    assert Article.objects.get().body == text
    assert ImportFile.objects.filter(status=ImportFile.Status.DUPLICATE).count() == 3


def test_oversized_file_refused_by_name(tmp_path, registry, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    big = write(tmp_path, "big.txt", b"Title\n\n" + b"The minister said it was fine. " * 10)
    batch = run_import(iter_paths([big]), origin=ImportBatch.Origin.COMMAND)
    file = batch.files.get()
    assert file.status == ImportFile.Status.FAILED
    assert "too large" in file.message
    assert not Article.objects.exists()


def test_zip_with_unsafe_members(tmp_path, registry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok/one.txt", GOOD)
        archive.writestr("../escape.txt", "Escape\n\nHe said nothing.")
        archive.writestr("/etc/absolute.txt", "Absolute\n\nShe said nothing.")
        archive.writestr("two.txt", "Second story\n\nThe police said the road is closed.")
    path = write(tmp_path, "batch.zip", buffer.getvalue())
    with pytest.raises(CommandError, match="2 files failed"):
        call_command("import_articles", str(path), "--no-progress", stdout=io.StringIO())
    batch = ImportBatch.objects.get()
    got = statuses(batch)
    assert got["one.txt"][0] == ImportFile.Status.IMPORTED
    assert got["two.txt"][0] == ImportFile.Status.IMPORTED
    assert got["escape.txt"] == (ImportFile.Status.FAILED, "refused: '..' in the path inside the zip")
    assert got["absolute.txt"] == (ImportFile.Status.FAILED, "refused: absolute path inside the zip")
    assert Article.objects.count() == 2


def test_broken_zip_is_reported(tmp_path, registry):
    path = write(tmp_path, "broken.zip", b"PK\x03\x04 this is not really a zip")
    batch = run_import(iter_paths([path]), origin=ImportBatch.Origin.COMMAND)
    assert batch.failed_count == 1
    assert batch.files.get().status == ImportFile.Status.FAILED


def test_missing_path_and_nothing_imported_fails_the_command(tmp_path, registry):
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "nope.txt"), stdout=io.StringIO())
    assert ImportFile.objects.get().message == "no such file or folder"


def test_one_failing_file_does_not_lose_the_others(tmp_path, registry, monkeypatch):
    from attributions import suggesting

    calls = {"n": 0}
    original = suggesting.Suggester.analyse

    def flaky(self, text, language):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("engine blew up")
        return original(self, text, language)

    monkeypatch.setattr(suggesting.Suggester, "analyse", flaky)
    write(tmp_path, "d/1.txt", b"First\n\nThe army said it advanced.")
    write(tmp_path, "d/2.txt", GOOD.encode())
    batch = run_import(iter_paths([tmp_path / "d"]), origin=ImportBatch.Origin.COMMAND)
    got = statuses(batch)
    assert got["1.txt"][0] == ImportFile.Status.FAILED and "engine blew up" in got["1.txt"][1]
    assert got["2.txt"][0] == ImportFile.Status.IMPORTED
    # The failed file left nothing half-written behind.
    assert Article.objects.count() == 1
    assert Statement.objects.filter(article__title="First").count() == 0


def test_statements_slice_back_to_their_text(sample_article):
    body = sample_article.body
    statements = list(sample_article.statements.order_by("start"))
    assert len(statements) >= 15
    for statement in statements:
        assert body[statement.start : statement.end] == statement.text
    starts = [s.start for s in statements]
    assert starts == sorted(starts)


def test_sample_article_suggestions_are_stored(sample_article):
    def source_of(prefix):
        statement = sample_article.statements.get(text__startswith=prefix)
        pairs = {(a.role, a.source.slug) for a in statement.attributions.select_related("source")}
        return pairs

    assert ("source", "amnesty-international") in source_of("According to a report by Amnesty")
    assert ("source", "tass") in source_of("Tass, a Russian News Agency")
    pressTV = source_of("According to PressTV")
    assert ("source", "syrian-mfa") in pressTV and ("via", "press-tv") in pressTV
    assert source_of("The withdrawal of the US army") == set()
    experts = sample_article.statements.get(text__startswith="Experts say").attributions.get()
    assert experts.source.kind == "unnamed"
    assert all(
        a.status == Attribution.Status.SUGGESTED and a.method and 0 < a.confidence <= 1
        for a in Attribution.objects.all()
    )


def test_a_file_whose_writes_fail_is_reported_and_leaves_nothing_behind(registry, monkeypatch):
    """The chunk's bulk write fails; its files are written one by one, and the one at fault
    is rolled back whole (the source it proposed too) while the other imports."""
    from attributions import suggesting
    from attributions.models import Source

    real_store = suggesting.Suggester.store

    def store(self, analysed):
        real_store(self, analysed)  # the source is created, then the write fails
        if any(article.original_filename == "first.txt" for article, _ in analysed):
            raise RuntimeError("disk hiccup")

    monkeypatch.setattr(suggesting.Suggester, "store", store)
    text = "Harbour\n\nIvan Petrovsky said the harbour would reopen in spring."
    batch = run_import(
        [Item("first.txt", data=text.encode()), Item("second.txt", data=(text + " Boats wait.").encode())],
        origin=ImportBatch.Origin.COMMAND,
    )
    assert (batch.imported_count, batch.failed_count) == (1, 1)
    assert "disk hiccup" in ImportFile.objects.get(name="first.txt").message
    attribution = Attribution.objects.get()
    assert attribution.source == Source.objects.get(name="Ivan Petrovsky") and attribution.source.proposed


def test_a_pronoun_after_a_proposed_speaker_gets_the_same_source(registry):
    from attributions.models import Source

    text = (
        "Harbour\n\nA lawyer for the three regional fishing cooperatives, Tomas Berg, said no decision had "
        "been made. \u201cWe will read the ruling first,\u201d he added."
    )
    batch = run_import([Item("berg.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    berg = Source.objects.get(name="Tomas Berg")
    assert berg.proposed and berg.kind == Source.Kind.PERSON
    statements = Article.objects.get(batch=batch).statements.order_by("start")
    quote = statements.last()
    attribution = quote.attributions.get()
    assert (attribution.source, attribution.mention, attribution.method) == (berg, "he", "say-verb-post")
