"""The admin's bulk import page: who may use it and the per-file report."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportBatch, ImportFile

pytestmark = pytest.mark.django_db
URL = "/admin/articles/importbatch/upload/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(URL, {"files": SimpleUploadedFile("a.txt", b"T\n\nHe said so.")})
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_non_staff_user_is_refused(client, reader):
    client.force_login(reader)
    response = client.post(URL, {"files": SimpleUploadedFile("a.txt", b"T\n\nHe said so.")})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Article.objects.exists()


def test_staff_without_permission_gets_403(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"files": SimpleUploadedFile("a.txt", b"T\n\nHe said so.")})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_staff_with_permission_may_import(client, editor, registry):
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(editor)
    response = client.post(URL, {"files": SimpleUploadedFile("a.txt", b"Title\n\nThe mayor said yes.")})
    assert response.status_code == 302
    assert Article.objects.count() == 1


def test_admin_uploads_files_and_zip_and_sees_report(client, admin_user, registry, sample_bytes):
    client.force_login(admin_user)
    page = client.get(URL)
    assert page.status_code == 200 and 'type="file"' in page.text and "multiple" in page.text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/story.txt", "Harbour story\n\nThe harbour master said ships wait.")
        archive.writestr("../evil.txt", "Evil\n\nNope.")
    files = [
        SimpleUploadedFile("raqqa.txt", sample_bytes),
        SimpleUploadedFile("copy.txt", sample_bytes),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("bundle.zip", buffer.getvalue()),
    ]
    response = client.post(URL, {"files": files}, follow=True)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert (batch.imported_count, batch.duplicate_count, batch.failed_count) == (2, 1, 2)
    assert batch.created_by == admin_user and batch.origin == ImportBatch.Origin.UPLOAD
    html = response.text
    assert "2 imported, 1 duplicate, 2 failed" in html
    for name in [
        "raqqa.txt",
        "copy.txt",
        "empty.txt",
        "bundle.zip/inner/story.txt",
        "bundle.zip/../evil.txt",
    ]:
        assert name in html
    assert ImportFile.objects.get(name="copy.txt").status == ImportFile.Status.DUPLICATE
    assert Article.objects.filter(title__startswith="Attention to Military Crimes").exists()


def test_upload_without_files_shows_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {})
    assert response.status_code == 422
    assert "This field is required" in response.text


def test_admin_changelists_render(client, admin_user, sample_article):
    client.force_login(admin_user)
    for model in [
        "articles/article",
        "articles/statement",
        "articles/importbatch",
        "articles/importfile",
        "attributions/source",
        "attributions/sourcealias",
        "attributions/attribution",
        "attributions/crossreference",
    ]:
        response = client.get(f"/admin/{model}/", {"q": "Syria"})
        assert response.status_code == 200, model
    assert "Import articles" in client.get(reverse("admin:articles_importbatch_changelist")).text
    source = sample_article.statements.first()
    assert client.get(f"/admin/articles/statement/{source.pk}/change/").status_code == 200


def test_batch_page_lists_failures_first_and_links_to_all_files(client, admin_user, registry, monkeypatch):
    from articles.admin import ImportBatchAdmin

    monkeypatch.setattr(ImportBatchAdmin, "REPORT_ROWS", 3)
    client.force_login(admin_user)
    files = [
        SimpleUploadedFile(f"story{i}.txt", f"Story {i}\n\nThe clerk said {i}.".encode()) for i in range(4)
    ]
    files.append(SimpleUploadedFile("<i>bad.txt", b""))
    client.post(URL, {"files": files})
    batch = ImportBatch.objects.get()
    page = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk])).text
    report = page[page.index("<tbody>") : page.index("</tbody>")]
    assert report.index("&lt;i&gt;bad.txt") < report.index("story0.txt")  # failed first, escaped
    assert "story3.txt" not in report and "<i>bad" not in page
    link = f"/admin/articles/importfile/?batch__id__exact={batch.pk}"
    assert link in page
    full = client.get(link)
    assert full.status_code == 200 and "story3.txt" in full.text and "5 import files" in full.text
