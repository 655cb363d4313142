"""A file refused for an uncertain encoding is kept, and an admin imports it again with the
encoding they choose, per file or for all; nobody else can."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, HeldFile, ImportBatch, ImportFile

pytestmark = pytest.mark.django_db
URL = "/admin/articles/importbatch/upload/"
POLISH = (
    "Remont mostu\n\nRzecznik ratusza powiedział, że ciężarówki będą jeździć obwodnicą przez osiem miesięcy."
)
RUSSIAN = "Ремонт моста\n\nПредставитель мэрии заявил, что ремонт начнётся весной."


def upload(client, *files) -> ImportBatch:
    client.post(URL, {"files": list(files)})
    return ImportBatch.objects.order_by("-pk").first()


@pytest.fixture
def refused(client, admin_user, registry):
    client.force_login(admin_user)
    batch = upload(
        client,
        SimpleUploadedFile("pl.txt", POLISH.encode("cp1250")),
        SimpleUploadedFile("short.txt", "Café".encode("latin-1")),
    )
    assert batch.failed_count == 2 and HeldFile.objects.count() == 2
    return batch


def rerun_url(batch) -> str:
    return f"/admin/articles/importbatch/{batch.pk}/rerun/"


def test_the_batch_page_offers_a_choice_naming_the_best_guess(client, refused):
    page = client.get(f"/admin/articles/importbatch/{refused.pk}/change/").text
    assert "Files waiting for an encoding" in page and "Best guess: ISO-8859-2" in page
    assert ImportFile.objects.get(name="pl.txt").reason == "encoding"


def test_per_file_and_batch_wide_choices(client, refused):
    pl = HeldFile.objects.order_by("file__pk").first()
    response = client.post(
        rerun_url(refused), {"encoding": "iso8859-1", f"file-{pl.pk}": "cp1250"}, follow=True
    )
    again = ImportBatch.objects.order_by("-pk").first()
    assert again.origin == ImportBatch.Origin.RERUN and again.imported_count == 2
    assert "2 imported" in response.text
    assert Article.objects.get(original_filename="pl.txt").body == POLISH
    assert Article.objects.get(original_filename="short.txt").body == "Café"
    assert dict(again.files.values_list("name", "encoding")) == {"pl.txt": "cp1250", "short.txt": "iso8859-1"}
    assert not HeldFile.objects.exists()  # imported: nothing kept any more


def test_a_wrong_choice_keeps_the_file_for_another(client, refused):
    client.post(rerun_url(refused), {"encoding": "shift_jis"})
    again = ImportBatch.objects.order_by("-pk").first()
    failed = again.files.filter(status="failed")
    assert failed.count() >= 1
    assert HeldFile.objects.filter(file__batch=again).count() == failed.count()
    assert not HeldFile.objects.filter(file__batch=refused).exists()


def test_every_file_needs_a_choice(client, refused):
    pl, _ = HeldFile.objects.order_by("file__pk")
    response = client.post(rerun_url(refused), {f"file-{pl.pk}": "cp1250"}, follow=True)
    assert "Choose an encoding for every file" in response.text
    assert ImportBatch.objects.count() == 1


def test_a_get_changes_nothing(client, refused):
    assert client.get(rerun_url(refused)).status_code == 405


def test_staff_without_the_permission_are_refused(client, refused, editor):
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(editor)
    response = client.post(rerun_url(refused), {"encoding": "cp1250"})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 1
    assert (
        "Files waiting for an encoding"
        not in client.get(f"/admin/articles/importbatch/{refused.pk}/change/").text
    )


def test_readers_are_sent_to_log_in(client, refused, reader):
    client.force_login(reader)
    response = client.post(rerun_url(refused), {"encoding": "cp1250"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert ImportBatch.objects.count() == 1


def test_an_upload_with_a_chosen_encoding(client, admin_user, registry):
    client.force_login(admin_user)
    batch = upload(client, SimpleUploadedFile("ru.txt", RUSSIAN.encode("koi8_r")))
    assert batch.imported_count == 1  # detected
    client.post(URL, {"files": [SimpleUploadedFile("pl.txt", POLISH.encode("cp1250"))], "encoding": "cp1250"})
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch.encoding == "cp1250" and batch.imported_count == 1
    assert Article.objects.get(original_filename="pl.txt").body == POLISH
