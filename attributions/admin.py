from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attributions.models import Attribution, CrossReference, Source, SourceAlias


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    fields = ("text", "normalised", "created_by", "created_at")
    readonly_fields = ("normalised", "created_by", "created_at")
    extra = 1


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "state_affiliated", "parent", "proposed")
    list_filter = ("proposed", "kind", "state_affiliated", "country")
    search_fields = ("name", "slug", "aliases__text", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    inlines = [SourceAliasInline]


@admin.register(SourceAlias)
class SourceAliasAdmin(SimpleHistoryAdmin):
    list_display = ("text", "source", "normalised", "created_by", "created_at")
    search_fields = ("text", "normalised", "source__name")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "created_by")


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
