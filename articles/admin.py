from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from articles.forms import UploadForm
from articles.importing import iter_uploads, run_import
from articles.models import Article, ImportBatch, ImportFile, Statement


class ImportFileInline(admin.TabularInline):
    model = ImportFile
    fields = ("name", "status", "message", "size", "article")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "origin",
        "created_by",
        "imported_count",
        "duplicate_count",
        "failed_count",
        "finished_at",
    )
    list_filter = ("origin", "created_at")
    readonly_fields = (
        "origin",
        "created_by",
        "created_at",
        "finished_at",
        "imported_count",
        "duplicate_count",
        "failed_count",
    )
    inlines = [ImportFileInline]
    change_list_template = "admin/articles/importbatch/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="articles_importbatch_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if request.method == "POST" and form.is_valid():
            batch = run_import(
                iter_uploads(form.cleaned_data["files"]),
                origin=ImportBatch.Origin.UPLOAD,
                user=request.user,
            )
            level = messages.SUCCESS if not batch.failed_count else messages.WARNING
            self.message_user(
                request,
                f"{batch}: {batch.imported_count} imported, {batch.duplicate_count} duplicate, "
                f"{batch.failed_count} failed.",
                level,
            )
            return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/importbatch/upload.html", context)


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "message", "batch", "article")
    list_filter = ("status",)
    search_fields = ("name", "message")
    list_select_related = ("batch", "article")
    readonly_fields = ("batch", "name", "size", "status", "message", "article")


class StatementInline(admin.TabularInline):
    model = Statement
    fields = ("ordinal", "paragraph", "start", "end", "text", "is_own_claim")
    readonly_fields = ("ordinal", "paragraph", "start", "end", "text")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "original_filename", "created_at")
    list_filter = ("created_at", "publisher")
    search_fields = ("title", "original_filename", "publisher", "content_hash")
    readonly_fields = ("content_hash", "batch", "created_at")
    date_hierarchy = "created_at"
    inlines = [StatementInline]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "article", "ordinal", "paragraph", "is_own_claim")
    list_filter = ("is_own_claim",)
    search_fields = ("text", "article__title")
    list_select_related = ("article",)
    raw_id_fields = ("article",)
    readonly_fields = ("article", "ordinal", "paragraph", "start", "end", "text")
