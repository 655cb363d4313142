"""Reader pages for sources: the directory and one source's statements."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from articles.paging import BoundedPaginator
from attributions.models import Attribution, Source

SOURCES_PER_PAGE = 50
STATEMENTS_PER_PAGE = 30
COUNTS_SECONDS = 60


def source_counts() -> dict[int, dict[str, int]]:
    """Statements claimed by and carried via each source, in one grouped query over all
    attributions; cached for a minute because the directory shows it on every visit."""

    def compute() -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {}
        rows = Attribution.objects.visible().order_by().values_list("source", "role").annotate(n=Count("pk"))
        for source_id, role, n in rows:
            counts.setdefault(source_id, {})[role] = n
        return counts

    return cache.get_or_set("source-counts", compute, COUNTS_SECONDS)


def source_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    country = request.GET.get("country", "").upper()
    base = Source.objects.listed()
    if kind not in Source.Kind.values:
        kind = ""
    # Each facet counts within the other facet's choice, so the numbers match what a click shows.
    in_country = base.filter(country=country) if country else base
    in_kind = base.filter(kind=kind) if kind else base
    kinds = dict(in_country.order_by().values_list("kind").annotate(n=Count("pk")))
    countries = in_kind.exclude(country="").order_by("country").values_list("country").annotate(n=Count("pk"))
    sources = in_kind.filter(country=country) if country else in_kind
    page = BoundedPaginator(sources.select_related("parent"), SOURCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = source_counts()
    for source in page.object_list:
        source.claimed_count = counts.get(source.pk, {}).get(Attribution.Role.SOURCE, 0)
        source.via_count = counts.get(source.pk, {}).get(Attribution.Role.VIA, 0)
    return TemplateResponse(
        request,
        "attributions/source_list.html",
        {
            "page": page,
            "kind": kind,
            "country": country,
            "kind_facets": [(value, label, kinds.get(value, 0)) for value, label in Source.Kind.choices],
            "country_facets": list(countries),
            "total": base.count(),
            "kind_total": sum(kinds.values()),
            "country_total": in_kind.count(),
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
    # One grouped count serves the header and the paginator (a count of the ordered, joined
    # page query costs twice as much on a source with a hundred thousand statements).
    counts = dict(visible.filter(source=source).order_by().values_list("role").annotate(n=Count("pk")))
    page = BoundedPaginator(attributions, STATEMENTS_PER_PAGE, known_count=counts.get(role, 0)).get_page(
        request.GET.get("page")
    )
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
