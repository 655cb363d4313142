from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from attributions.engine import normalise_alias
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


@admin.register(Attribution)
class AttributionAdmin(SimpleHistoryAdmin):
    list_display = ("statement", "source", "role", "status", "cue", "confidence", "method", "created_at")
    list_filter = ("status", "role", "method", "source__kind")
    search_fields = ("statement__text", "source__name", "mention", "cue")
    list_select_related = ("statement", "source")
    raw_id_fields = ("statement",)
    autocomplete_fields = ("source",)
    readonly_fields = ("created_by", "created_at", "reviewed_by", "reviewed_at")


@admin.register(CrossReference)
class CrossReferenceAdmin(SimpleHistoryAdmin):
    list_display = ("from_statement", "relation", "to_statement", "created_by", "created_at")
    list_filter = ("relation",)
    search_fields = ("from_statement__text", "to_statement__text", "note")
    raw_id_fields = ("from_statement", "to_statement")
    list_select_related = ("from_statement", "to_statement", "created_by")
