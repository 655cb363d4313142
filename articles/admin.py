from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from articles import progress
from articles.forms import RerunForm, UploadForm
from articles.models import HeldFile, ImportBatch, ImportFile
from articles.tasks import accept_uploads, rerun
from articles.text import encoding_label


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "origin",
        "state",
        "created_by",
        "total_files",
        "imported_count",
        "duplicate_count",
        "failed_count",
        "finished_at",
    )
    list_filter = ("state", "origin", "created_at")
    fields = readonly_fields = (
        "origin",
        "state",
        "error",
        "encoding",
        "created_by",
        "created_at",
        "started_at",
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
            .only("name", "status", "message", "size", "encoding", "article__title")[: self.REPORT_ROWS + 1]
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
            '<tr class="import-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    f.status,
                    f.name,
                    f.get_status_display(),
                    f.message,
                    encoding_label(f.encoding) if f.encoding else "",
                    filesizeformat(f.size),
                    article(f),
                )
                for f in shown
            ),
        )
        more = ""
        if len(files) > self.REPORT_ROWS:
            url = reverse("admin:articles_importfile_changelist") + f"?batch__id__exact={batch.pk}"
            more = format_html('<p><a href="{}">All files of this batch &rarr;</a></p>', url)
        return format_html(
            "<table><thead><tr><th>File</th><th>Result</th><th>Reason</th><th>Encoding</th><th>Size</th>"
            "<th>Article</th></tr></thead><tbody>{}</tbody></table>{}",
            body,
            more,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a batch is a record of what happened: viewed, never edited

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="articles_importbatch_upload"),
            path("<int:pk>/rerun/", view(require_POST(self.rerun_view)), name="articles_importbatch_rerun"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if batch is not None:
            extra_context["batch_progress"] = progress.describe(batch)
            held = HeldFile.objects.filter(file__batch=batch).select_related("file").order_by("file__pk")
            if held and request.user.has_perm("articles.add_article"):
                extra_context["rerun_form"] = RerunForm(held=list(held))
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _upload_message(batch: ImportBatch) -> tuple[str, int]:
        State = ImportBatch.State
        if batch.state == State.FAILED:
            return f"{batch}: {batch.error} Nothing was imported; please upload again.", messages.ERROR
        if batch.in_progress:
            count = batch.total_files
            return (
                f"{batch}: {count:,} file{'s' if count != 1 else ''} queued for import. "
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
            batch = accept_uploads(
                form.cleaned_data["files"], user=request.user, encoding=form.cleaned_data["encoding"]
            )
            self.message_user(request, *self._upload_message(batch))
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "form": form,
            "inline_limit": settings.IMPORT_INLINE_MAX_BYTES,
            "file_limit": settings.IMPORT_MAX_FILE_BYTES,
            "batch_limit": settings.IMPORT_MAX_BATCH_BYTES,
        }
        status = 422 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/articles/importbatch/upload.html", context, status=status)

    def rerun_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Import a batch's files refused for their encoding again, with the encodings chosen."""
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        held = list(HeldFile.objects.filter(file__batch=batch).select_related("file").order_by("file__pk"))
        form = RerunForm(request.POST, held=held)
        if not held:
            self.message_user(request, "No file of this batch is waiting for an encoding.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        if not form.is_valid():
            self.message_user(request, f"Nothing was imported: {form.first_error()}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        again = rerun(form.choices(), user=request.user)
        self.message_user(request, *self._upload_message(again))
        return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[again.pk]))


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "reason", "message", "encoding", "batch", "article")
    list_filter = ("status", "reason")
    search_fields = ("name", "message")
    list_select_related = ("batch", "article")
    readonly_fields = ("batch", "name", "size", "status", "reason", "message", "encoding", "article")
