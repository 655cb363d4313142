"""Reader pages for sources: the directory and one source's statements."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from attributions.models import Attribution, Source

SOURCES_PER_PAGE = 50
STATEMENTS_PER_PAGE = 30


def _attribution_count(role: str) -> Coalesce:
    counts = (
        Attribution.objects.visible()
        .filter(source=OuterRef("pk"), role=role)
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def source_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    country = request.GET.get("country", "").upper()
    base = Source.objects.listed()
    kinds = dict(base.order_by().values_list("kind").annotate(n=Count("pk")))
    countries = base.exclude(country="").order_by("country").values_list("country").annotate(n=Count("pk"))
    sources = base
    if kind in Source.Kind.values:
        sources = sources.filter(kind=kind)
    else:
        kind = ""
    if country:
        sources = sources.filter(country=country)
    sources = sources.annotate(
        claimed_count=_attribution_count(Attribution.Role.SOURCE),
        via_count=_attribution_count(Attribution.Role.VIA),
    ).select_related("parent")
    page = Paginator(sources, SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "attributions/source_list.html",
        {
            "page": page,
            "kind": kind,
            "country": country,
            "kind_facets": [(value, label, kinds.get(value, 0)) for value, label in Source.Kind.choices],
            "country_facets": list(countries),
            "total": sum(kinds.values()),
        },
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("parent"), slug=slug)
    role = request.GET.get("role", Attribution.Role.SOURCE)
    if role not in Attribution.Role.values:
        role = Attribution.Role.SOURCE
    visible = Attribution.objects.visible()
    attributions = (
        visible.filter(source=source, role=role)
        .select_related("statement__article")
        .prefetch_related(
            Prefetch(
                "statement__attributions",
                queryset=visible.select_related("source").order_by("role", "status"),
                to_attr="shown",
            )
        )
        .order_by("-statement__article__created_at", "-statement__article_id", "statement__ordinal")
    )
    page = Paginator(attributions, STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(visible.filter(source=source).order_by().values_list("role").annotate(n=Count("pk")))
    return TemplateResponse(
        request,
        "attributions/source_detail.html",
        {
            "source": source,
            "role": role,
            "page": page,
            "claimed_count": counts.get(Attribution.Role.SOURCE, 0),
            "via_count": counts.get(Attribution.Role.VIA, 0),
            "children": source.children.order_by("name"),
            "aliases": source.aliases.order_by("text"),
        },
    )
