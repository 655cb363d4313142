"""The read-only JSON API: sources, articles, statements and cross-references, as readers see
them (withdrawn articles and statements waiting for a span left out; no user's email, no
editor-only data). Django REST Framework, with cursor pagination, filters that are forms
(django-filter) and an OpenAPI schema (drf-spectacular)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from articles import figures
from articles import search as fulltext
from articles.models import Article, Statement
from attributions.forms import MAX_ID
from attributions.models import Attribution, CrossReference, Source, attributed_to, with_attributions

# Serializers -----------------------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "country",
            "state_affiliated",
            "parent",
            "description",
            "homepage",
            "wikidata_id",
            "page",
        ]

    def get_page(self, source: Source) -> str:
        return self.context["request"].build_absolute_uri(source.get_absolute_url())


class ArticleSerializer(serializers.ModelSerializer):
    page = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "publisher",
            "published_on",
            "url",
            "original_filename",
            "created_at",
            "page",
        ]

    def get_page(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]


class AttributionSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = Attribution
        fields = [
            "source",
            "source_name",
            "status",
            "confidence",
            "method",
            "mention",
            "mention_start",
            "mention_end",
            "cue",
            "cue_start",
            "cue_end",
        ]


class StatementSerializer(serializers.ModelSerializer):
    # Nested serializers declared once: a list builds their fields once, not per statement
    # (a serializer made per statement cost about a millisecond each).
    claimed_source = AttributionSerializer(source="claimed", read_only=True, allow_null=True)
    via = AttributionSerializer(source="conduit", read_only=True, allow_null=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = [
            "id",
            "article",
            "start",
            "end",
            "text",
            "state",
            "reviewed",
            "is_frame",
            "span_origin",
            "note",
            "claimed_source",
            "via",
            "page",
        ]

    def get_page(self, statement: Statement) -> str:
        return self.context["request"].build_absolute_uri(statement.get_absolute_url())


class CrossReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossReference
        fields = ["id", "from_statement", "to_statement", "relation", "note", "created_at"]


# Filters (forms: NUL bytes, bad numbers and unknown choices answer 400 with a message) -------------


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    country = django_filters.CharFilter(max_length=2, lookup_expr="iexact")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=100)

    class Meta:
        model = Source
        fields = ["kind", "country", "state_affiliated", "name"]


class ArticleFilter(django_filters.FilterSet):
    publisher = django_filters.CharFilter(lookup_expr="iexact", max_length=200)
    published_after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")
    imported_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    imported_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = Article
        fields = ["publisher"]


class StatementFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(
        method="by_source", max_length=200, help_text="a claimed source's slug"
    )
    via = django_filters.CharFilter(method="by_via", max_length=200, help_text="the outlet's slug")
    state = django_filters.ChoiceFilter(choices=Statement.State.choices)
    article = django_filters.NumberFilter(field_name="article_id", min_value=1, max_value=MAX_ID)
    published_after = django_filters.DateFilter(field_name="article__published_on", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="article__published_on", lookup_expr="lte")
    imported_after = django_filters.IsoDateTimeFilter(field_name="article__created_at", lookup_expr="gte")
    imported_before = django_filters.IsoDateTimeFilter(field_name="article__created_at", lookup_expr="lte")
    text = django_filters.CharFilter(method="by_text", max_length=200, help_text="words to look for")

    class Meta:
        model = Statement
        fields = ["state", "article", "is_frame", "reviewed", "span_origin"]

    def by_source(self, queryset, name, value):
        return attributed_to(queryset, value) if value else queryset

    def by_via(self, queryset, name, value):
        return attributed_to(queryset, value, Attribution.Role.VIA) if value else queryset

    def by_text(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.matching(value)


class CrossReferenceFilter(django_filters.FilterSet):
    statement = django_filters.NumberFilter(method="by_statement", min_value=1, max_value=MAX_ID)

    class Meta:
        model = CrossReference
        fields = ["relation"]

    def by_statement(self, queryset, name, value):
        return queryset.filter(Q(from_statement_id=value) | Q(to_statement_id=value))


# Views -------------------------------------------------------------------------------------------


class KeptAnswers:
    """Lists and details kept in the shared cache as of the current content generation, as
    reader pages are (project/pagecache.py), for ``READER_PAGE_CACHE_SECONDS`` at most: the
    queries and serializers run once per page of data and write, while authentication,
    permissions and the throttle still run on every request (they run before these methods).
    Every client gets the same data, so the answer is the same for all."""

    def list(self, request, *args, **kwargs):
        return self._kept(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._kept(request, super().retrieve, *args, **kwargs)

    def _kept(self, request, answer, *args, **kwargs) -> Response:
        seconds = settings.READER_PAGE_CACHE_SECONDS
        if not seconds:
            return answer(request, *args, **kwargs)
        # The host is part of the address: the answers hold absolute links.
        key, data = figures.kept("api", f"{request.get_host()}{request.get_full_path()}")
        if data is not None:
            return Response(data)
        response = answer(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.data, seconds)
        return response


class SourceViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Sources: who statements are attributed to, and the outlets they came through."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    lookup_field = "slug"
    queryset = Source.objects.listed().select_related("parent")


class ArticleViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Articles readers see (withdrawn ones are left out)."""

    filterset_class = ArticleFilter
    queryset = Article.objects.published().defer("body")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_queryset(self):
        articles = Article.objects.published()
        return articles if self.action == "retrieve" else articles.defer("body")


class StatementViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Statements with their claimed source and the outlet they came via (rejected
    suggestions left out; ``claimed_source.status`` says whether an editor confirmed it)."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilter

    def get_queryset(self):
        return with_attributions(Statement.objects.published())

    def paginate_queryset(self, queryset):
        """A ``text`` of several words or a phrase is first looked for among the statements
        next to the page's edge, matched row by row, as the search page does
        (``articles.search.walks``); when a whole page and one more match there, no match
        beyond can come before them, else the page is drawn from ``queryset`` (the index)."""
        text = self.request.query_params.get("text", "")
        if self.action == "list" and fulltext.walks(text):
            going_down, below = self.paginator.going_down_from(self.request)
            if going_down:
                others = self.request.query_params.copy()
                others.pop("text")
                near = self.get_queryset().next_to(below=below)
                base = self.filterset_class(others, queryset=near, request=self.request).qs
                page = self.paginator.paginate_queryset(
                    base.matching(text, indexed=False), self.request, view=self
                )
                if self.paginator.has_next:
                    return page
        return super().paginate_queryset(queryset)


class CrossReferenceViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Links editors made between statements of different articles."""

    serializer_class = CrossReferenceSerializer
    filterset_class = CrossReferenceFilter

    def get_queryset(self):
        return CrossReference.objects.published()
