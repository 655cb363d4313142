"""The admin. Statements, attributions and cross-references change only through the editors'
actions (attributions.actions): their fields are read-only here, and the admin's own actions
call the same functions the editing pages do, so the revision, the one-confirmed rule, the
stored state and the history are kept whoever makes the change."""

from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, Statement
from attributions import actions
from attributions.engine import normalise_alias
from attributions.exporting import CONTENT_TYPES, export
from attributions.forms import WithdrawForm
from attributions.models import Attribution, CrossReference, Source, SourceAlias


class SourceAliasFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Two new rows of one submission may not name the same thing either."""
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            key = normalise_alias(form.cleaned_data.get("text") or "")
            if key and key in seen:
                form.add_error("text", f"“{seen[key]}” is already in this list.")
            elif key:
                seen[key] = form.cleaned_data["text"]


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    formset = SourceAliasFormSet
    fields = ("text", "normalised", "created_by", "created_at")
    readonly_fields = ("normalised", "created_by", "created_at")
    extra = 1


def _stamp_new_aliases(request, instances) -> None:
    for instance in instances:
        if isinstance(instance, SourceAlias) and instance.pk is None and instance.created_by_id is None:
            instance.created_by = request.user


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "state_affiliated", "parent", "proposed")
    list_filter = ("proposed", "kind", "state_affiliated", "country")
    search_fields = ("name", "slug", "aliases__text", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    inlines = [SourceAliasInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        _stamp_new_aliases(request, instances)
        for instance in instances:
            instance.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()


@admin.register(SourceAlias)
class SourceAliasAdmin(SimpleHistoryAdmin):
    list_display = ("text", "source", "normalised", "created_by", "created_at")
    search_fields = ("text", "normalised", "source__name")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "created_by")
    readonly_fields = ("normalised", "created_by", "created_at")

    def save_model(self, request, obj, form, change):
        _stamp_new_aliases(request, [obj])
        super().save_model(request, obj, form, change)


def _each(model_admin, request, queryset, run, done: str) -> None:
    """Run ``run(obj)`` for every selected object, each in its own action; report counts."""
    changed, refused = 0, []
    for obj in queryset:
        try:
            run(obj)
        except actions.ActionError as exc:
            refused.append(f"#{obj.pk}: {exc}")
        else:
            changed += 1
    if changed:
        model_admin.message_user(request, f"{done}: {changed}.", messages.SUCCESS)
    for line in refused:
        model_admin.message_user(request, line, messages.WARNING)


class ThroughActionsAdmin(SimpleHistoryAdmin):
    """Viewed, never edited in place: the list's actions make the changes."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The list (obj None) offers the actions; a single object's page is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _each(self, request, queryset, run, done: str) -> None:
        _each(self, request, queryset, run, done)


class StatementInline(admin.TabularInline):
    model = Statement
    fields = ("paragraph", "start", "end", "text", "state", "span_origin")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "original_filename", "created_at")
    list_filter = ("created_at", "publisher")
    search_fields = ("title", "original_filename", "publisher", "content_hash")
    # The body is what every statement's offsets point into: it is never edited in place.
    # Withdrawal and the spans revision belong to the editors' actions (kept with history and
    # checked there): the list's actions below withdraw and restore through them.
    readonly_fields = (
        "body",
        "content_hash",
        "batch",
        "created_at",
        "spans_revision",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_note",
    )
    date_hierarchy = "created_at"
    inlines = [StatementInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["export_csv", "export_jsonl", "export_annotations", "withdraw", "restore"]

    @admin.action(
        description="Withdraw the selected articles (hide them from readers)", permissions=["change"]
    )
    def withdraw(self, request, queryset):
        """Ask for the note readers will see, then withdraw each article through the action."""
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            _each(
                self,
                request,
                queryset,
                lambda article: actions.withdraw(
                    article=article, note=form.cleaned_data["note"], by=request.user
                ),
                "Withdrawn",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Withdraw articles",
            "form": form,
            "articles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/withdraw.html", context)

    @admin.action(description="Restore the selected withdrawn articles", permissions=["change"])
    def restore(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda article: actions.restore(article=article, by=request.user),
            "Restored",
        )

    def _export(self, request, queryset, format: str) -> StreamingHttpResponse:
        statements = Statement.objects.filter(article__in=queryset.values("pk"))
        pieces = export(statements, format, url=request.build_absolute_uri)
        response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[format])
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="statements-{stamp}.{format}"'
        return response

    @admin.action(description="Export the selected articles' statements (CSV)", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description="Export the selected articles' statements (JSON Lines)", permissions=["view"])
    def export_jsonl(self, request, queryset):
        return self._export(request, queryset, "jsonl")

    @admin.action(
        description="Export the selected articles' statements (Web Annotations)", permissions=["view"]
    )
    def export_annotations(self, request, queryset):
        return self._export(request, queryset, "jsonld")


@admin.register(Statement)
class StatementAdmin(ThroughActionsAdmin):
    list_display = ("__str__", "article", "start", "paragraph", "state", "is_frame", "span_origin")
    list_filter = ("state", "is_frame", "span_origin")
    search_fields = ("text", "article__title")
    list_select_related = ("article",)
    raw_id_fields = ("article",)
    readonly_fields = (
        "article",
        "paragraph",
        "start",
        "end",
        "text",
        "state",
        "is_frame",
        "span_origin",
        "note",
    )
    actions = ["mark_own_claim", "mark_needs_source"]

    @admin.action(description="Mark as the article's own claim", permissions=["change"])
    def mark_own_claim(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: actions.mark_own_claim(statement=s, by=request.user, revision=None),
            "Marked as the article's own claim",
        )

    @admin.action(description="Mark as needing a source", permissions=["change"])
    def mark_needs_source(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: actions.mark_needs_source(statement=s, by=request.user, revision=None),
            "Marked as needing a source",
        )


@admin.register(Attribution)
class AttributionAdmin(ThroughActionsAdmin):
    list_display = ("statement", "source", "role", "status", "cue", "confidence", "method", "created_at")
    list_filter = ("status", "role", "method", "source__kind")
    search_fields = ("statement__text", "source__name", "mention", "cue")
    list_select_related = ("statement", "source")
    readonly_fields = (
        "statement",
        "source",
        "role",
        "status",
        "cue",
        "mention",
        "confidence",
        "method",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    )
    fields = readonly_fields
    actions = ["confirm", "reject"]

    @admin.action(description="Confirm the selected suggestions", permissions=["change"])
    def confirm(self, request, queryset):
        self._each(
            request,
            queryset.select_related("statement"),
            lambda a: actions.confirm(
                statement=a.statement, attribution_id=a.pk, by=request.user, revision=None
            ),
            "Confirmed",
        )

    @admin.action(description="Reject the selected suggestions", permissions=["change"])
    def reject(self, request, queryset):
        self._each(
            request,
            queryset.select_related("statement"),
            lambda a: actions.reject(
                statement=a.statement, attribution_id=a.pk, by=request.user, revision=None
            ),
            "Rejected",
        )


@admin.register(CrossReference)
class CrossReferenceAdmin(ThroughActionsAdmin):
    list_display = ("from_statement", "relation", "to_statement", "created_by", "created_at")
    list_filter = ("relation",)
    search_fields = ("from_statement__text", "to_statement__text", "note")
    list_select_related = ("from_statement", "to_statement", "created_by")
    readonly_fields = ("from_statement", "relation", "to_statement", "note", "created_by", "created_at")
    fields = readonly_fields
    actions = ["remove"]

    @admin.action(description="Remove the selected links", permissions=["change"])
    def remove(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda ref: actions.unlink(reference_id=ref.pk, by=request.user),
            "Links removed",
        )
