"""Reader pages for articles and statements (no login needed)."""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from articles.history import history_for
from articles.models import SEARCH_CANDIDATES, Article, Statement
from articles.paging import BoundedPaginator
from articles.presentation import paragraphs
from attributions.models import Attribution, CrossReference, Source

ARTICLES_PER_PAGE = 25
FIGURES_SECONDS = 60
RESULTS_PER_PAGE = 25


def with_statement_counts(articles) -> list[Article]:
    """Attach ``statement_count`` to each article of a page, in one grouped query."""
    articles = list(articles)
    counts = dict(
        Statement.objects.filter(article__in=articles)
        .order_by()
        .values_list("article")
        .annotate(n=Count("pk"))
    )
    for article in articles:
        article.statement_count = counts.get(article.pk, 0)
    return articles


def site_figures() -> dict:
    """The home page's totals and most quoted sources: whole-table aggregates, so they are
    cached for a minute rather than recounted on every visit."""

    def compute() -> dict:
        status_counts = dict(Attribution.objects.order_by().values_list("status").annotate(n=Count("pk")))
        top = (
            Attribution.objects.visible()
            .filter(role=Attribution.Role.SOURCE, source__proposed=False)
            .order_by()
            .values_list("source")
            .annotate(n=Count("pk"))
            .order_by("-n")[:8]
        )
        top = list(top)
        names = Source.objects.in_bulk([source_id for source_id, _ in top])
        top_sources = []
        for source_id, count in top:
            source = names[source_id]
            source.claimed_count = count
            top_sources.append(source)
        return {
            "top_sources": top_sources,
            "article_total": Article.objects.count(),
            "statement_total": Statement.objects.count(),
            "source_total": Source.objects.listed().count(),
            "confirmed_total": status_counts.get(Attribution.Status.CONFIRMED, 0),
            "suggested_total": status_counts.get(Attribution.Status.SUGGESTED, 0),
        }

    return cache.get_or_set("site-figures", compute, FIGURES_SECONDS)


def home(request: HttpRequest) -> HttpResponse:
    recent = with_statement_counts(Article.objects.only("pk", "title", "created_at")[:6])
    return TemplateResponse(request, "articles/home.html", {"recent": recent, **site_figures()})


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.only(
        "pk", "title", "publisher", "published_on", "created_at", "original_filename"
    )
    page = BoundedPaginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_statement_counts(page.object_list)
    return TemplateResponse(request, "articles/list.html", {"page": page})


def legend_for(statements) -> dict:
    """The "who is quoted" breakdown of an article's statements (prefetched attributions)."""
    counts: Counter = Counter()
    sources = {}
    own = frames = 0
    for statement in statements:
        claimed = statement.claimed
        if claimed:
            counts[claimed.source_id] += 1
            sources[claimed.source_id] = claimed.source
        elif statement.is_frame and not statement.is_own_claim:
            frames += 1  # "X, a long description, said": part of an attribution, not a claim
        else:
            own += 1
    rows = [
        {"source": sources[source_id], "count": count}
        for source_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], sources[kv[0]].name))
    ]
    # Distinct colours within the article, in legend order (the palette's first hues differ most).
    colours = {row["source"].pk: index for index, row in enumerate(rows)}
    for statement in statements:
        for attribution in statement.shown:
            attribution.source.colour = colours.setdefault(attribution.source_id, len(colours))
    return {"legend": rows, "own_count": own, "frame_count": frames, "colours": colours}


def match_legend(attributions, colours: dict[int, int]) -> None:
    """Give ``attributions`` the colours their article's legend gives the same sources."""
    for attribution in attributions:
        if attribution.source_id in colours:
            attribution.source.colour = colours[attribution.source_id]


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    statements = list(article.statements.with_attributions())
    title_end = 0
    first_line = article.body.split("\n", 1)[0]
    if first_line.strip() == article.title.strip():
        title_end = len(first_line)
    # An attributed headline ("Minister: ...") is made of statements, shown in the heading itself.
    in_title = [s for s in statements if s.start < title_end]
    headline = paragraphs(article.body[:title_end], in_title)[0] if in_title else None
    return TemplateResponse(
        request,
        "articles/detail.html",
        {
            "article": article,
            "headline": headline,
            "paragraphs": paragraphs(article.body, statements, skip_until=title_end),
            "statement_count": len(statements),
            **legend_for(statements),
        },
    )


def references_for(statement: Statement) -> list[CrossReference]:
    return list(
        CrossReference.objects.filter(Q(from_statement=statement) | Q(to_statement=statement))
        .select_related("from_statement__article", "to_statement__article", "created_by")
        .order_by("-created_at", "-pk")
    )


def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("article").with_attributions(), pk=pk)
    # The article's own colours (its legend's), so a source looks the same here as there.
    article_statements = list(Statement.objects.filter(article=statement.article).with_attributions())
    match_legend(statement.shown, legend_for(article_statements)["colours"])
    article_statements.sort(key=lambda s: s.ordinal)
    context_statements = [s for s in article_statements if s.paragraph == statement.paragraph]
    previous = next((s for s in reversed(article_statements) if s.ordinal < statement.ordinal), None)
    following = next((s for s in article_statements if s.ordinal > statement.ordinal), None)
    return TemplateResponse(
        request,
        "articles/statement.html",
        {
            "statement": statement,
            "article": statement.article,
            "context_statements": context_statements,
            "previous": previous,
            "following": following,
            "references": references_for(statement),
            "history": history_for(statement),
            "relations": CrossReference.Relation.choices,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    page = None
    sources = []
    if query:
        results = (
            Statement.objects.search(query)
            .select_related("article")
            .with_attributions()
            .only("pk", "text", "ordinal", "article__id", "article__title", "article__created_at")
        )
        page = BoundedPaginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        sources = list(
            Source.objects.listed()
            .filter(Q(name__icontains=query) | Q(aliases__text__icontains=query))
            .distinct()
            .order_by("name")[:10]
        )
    return TemplateResponse(
        request,
        "articles/search.html",
        {"query": query, "page": page, "sources": sources, "candidates": SEARCH_CANDIDATES},
    )
