"""An admin uploads a batch that goes to the workers and watches its page follow the import."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles import importing
from articles.models import ImportBatch
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_batch_page_shows_progress_until_done(
    live_server, browser, console, admin_user, registry, settings, tmp_path, screenshot_dir
):
    settings.IMPORT_INLINE_MAX_BYTES = 0  # every upload goes to the workers
    settings.IMPORT_CHUNK_FILES = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    files = []
    for n in range(5):
        path = tmp_path / f"story{n}.txt"
        path.write_text(f"Story {n}\n\nThe harbour master said ship {n} waits outside the port.")
        files.append(str(path))
    (tmp_path / "empty.txt").write_bytes(b"")
    files.append(str(tmp_path / "empty.txt"))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(context, live_server, admin_user)
    page = watched_page(context, console)
    page.goto(f"{live_server.url}/admin/articles/importbatch/upload/")
    page.set_input_files("#id_files", files)
    page.click("#upload-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("6 files queued for import")
    status = page.locator("#import-status")
    expect(status).to_contain_text("0 of 6 files done; waiting for a worker")
    expect(status.locator("progress")).to_have_attribute("value", "0")

    batch = ImportBatch.objects.get()
    first = batch.chunks.order_by("number").first()
    importing.process_chunk(first.pk)  # a worker imports one chunk; the page refreshes itself
    expect(status).to_contain_text("2 of 6 files done", timeout=10_000)
    expect(status).to_contain_text("files/s")
    expect(status.locator("progress")).to_have_attribute("value", "2")
    page.screenshot(path=str(screenshot_dir / "import-progress.png"), full_page=True)

    importing.work_on(batch.pk)  # the rest
    expect(status).to_have_attribute("data-state", "done", timeout=10_000)
    expect(status).to_contain_text("6 of 6 files done")
    expect(page.locator("tr.import-failed")).to_contain_text("empty.txt")
    expect(page.locator("tr.import-imported")).to_have_count(5)
    context.close()
    assert console.problems == [], "\n".join(console.problems)
