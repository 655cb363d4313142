from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.forms import UploadForm
from articles.importing import iter_uploads, run_import
from articles.models import ImportBatch, ImportFile
from articles.tasks import stage_uploads


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "origin",
        "state",
        "created_by",
        "imported_count",
        "duplicate_count",
        "failed_count",
        "finished_at",
    )
    list_filter = ("state", "origin", "created_at")
    fields = readonly_fields = (
        "origin",
        "state",
        "progress",
        "error",
        "created_by",
        "created_at",
        "finished_at",
        "imported_count",
        "duplicate_count",
        "failed_count",
        "report",
    )
    change_list_template = "admin/articles/importbatch/change_list.html"
    change_form_template = "admin/articles/importbatch/change_form.html"

    REPORT_ROWS = 200

    @admin.display(description="per-file report")
    def report(self, batch: ImportBatch) -> str:
        """The failed files first, then the rest; a long batch links to the full list."""
        files = list(
            batch.files.select_related("article")
            .order_by(Case(When(status=ImportFile.Status.FAILED, then=0), default=1), "pk")
            .only("name", "status", "message", "size", "article__title")[: self.REPORT_ROWS + 1]
        )
        if not files:
            return "No files yet."
        shown = files[: self.REPORT_ROWS]

        def article(f: ImportFile) -> str:
            if f.article is None:
                return ""
            url = reverse("admin:articles_article_change", args=[f.article_id])
            return format_html('<a href="{}">{}</a>', url, f.article.title[:80])

        body = format_html_join(
            "",
            '<tr class="import-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (f.status, f.name, f.get_status_display(), f.message, filesizeformat(f.size), article(f))
                for f in shown
            ),
        )
        more = ""
        if len(files) > self.REPORT_ROWS:
            url = reverse("admin:articles_importfile_changelist") + f"?batch__id__exact={batch.pk}"
            more = format_html('<p><a href="{}">All files of this batch &rarr;</a></p>', url)
        return format_html(
            "<table><thead><tr><th>File</th><th>Result</th><th>Reason</th><th>Size</th><th>Article</th>"
            "</tr></thead><tbody>{}</tbody></table>{}",
            body,
            more,
        )

    @admin.display(description="progress")
    def progress(self, batch: ImportBatch) -> str:
        done = batch.files.count()
        files = f"{done:,} file{'s' if done != 1 else ''} done"
        if batch.state == ImportBatch.State.QUEUED:
            count = len(batch.staged)
            return f"waiting for a worker ({count} uploaded file{'s' if count != 1 else ''} queued)"
        if batch.state == ImportBatch.State.RUNNING:
            return f"{files} so far; this page refreshes until the import ends"
        return files

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a batch is a record of what happened: viewed, never edited

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="articles_importbatch_upload"
        )
        return [upload, *super().get_urls()]

    @staticmethod
    def _upload_message(batch: ImportBatch) -> tuple[str, int]:
        State = ImportBatch.State
        if batch.state == State.FAILED:
            return f"{batch}: {batch.error} Nothing was imported; please upload again.", messages.ERROR
        if batch.in_progress:
            count = len(batch.staged)
            return (
                f"{batch}: {count} file{'s' if count != 1 else ''} queued for import. "
                "This page shows the progress.",
                messages.INFO,
            )
        level = messages.SUCCESS if not batch.failed_count else messages.WARNING
        return (
            f"{batch}: {batch.imported_count} imported, {batch.duplicate_count} duplicate, "
            f"{batch.failed_count} failed.",
            level,
        )

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if request.method == "POST" and form.is_valid():
            files = form.cleaned_data["files"]
            if sum(f.size for f in files) <= settings.IMPORT_INLINE_MAX_BYTES:
                batch = run_import(iter_uploads(files), origin=ImportBatch.Origin.UPLOAD, user=request.user)
            else:
                batch = stage_uploads(files, user=request.user)
            self.message_user(request, *self._upload_message(batch))
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "form": form,
            "inline_limit": settings.IMPORT_INLINE_MAX_BYTES,
        }
        return TemplateResponse(request, "admin/articles/importbatch/upload.html", context)


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "message", "batch", "article")
    list_filter = ("status",)
    search_fields = ("name", "message")
    list_select_related = ("batch", "article")
    readonly_fields = ("batch", "name", "size", "status", "message", "article")
