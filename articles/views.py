"""Reader pages for articles and statements (no login needed)."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from articles.history import history_for
from articles.models import Article, Statement
from articles.presentation import paragraphs
from attributions.models import Attribution, CrossReference, Source

ARTICLES_PER_PAGE = 25
RESULTS_PER_PAGE = 25


def _statement_count() -> Subquery:
    counts = (
        Statement.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def home(request: HttpRequest) -> HttpResponse:
    recent = Article.objects.annotate(statement_count=_statement_count())[:6]
    top_sources = (
        Source.objects.listed()
        .annotate(
            claimed_count=Count(
                "attributions",
                filter=Q(attributions__role=Attribution.Role.SOURCE)
                & ~Q(attributions__status=Attribution.Status.REJECTED),
            )
        )
        .filter(claimed_count__gt=0)
        .order_by("-claimed_count", "name")[:8]
    )
    status_counts = dict(Attribution.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return TemplateResponse(
        request,
        "articles/home.html",
        {
            "recent": recent,
            "top_sources": top_sources,
            "article_total": Article.objects.count(),
            "statement_total": Statement.objects.count(),
            "source_total": Source.objects.listed().count(),
            "confirmed_total": status_counts.get(Attribution.Status.CONFIRMED, 0),
            "suggested_total": status_counts.get(Attribution.Status.SUGGESTED, 0),
        },
    )


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.annotate(statement_count=_statement_count()).only(
        "pk", "title", "publisher", "published_on", "created_at", "original_filename"
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "articles/list.html", {"page": page})


def legend_for(statements) -> dict:
    """The "who is quoted" breakdown of an article's statements (prefetched attributions)."""
    counts: Counter = Counter()
    sources = {}
    own = 0
    for statement in statements:
        claimed = statement.claimed
        if claimed:
            counts[claimed.source_id] += 1
            sources[claimed.source_id] = claimed.source
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
    return {"legend": rows, "own_count": own, "colours": colours}


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    statements = list(article.statements.with_attributions())
    title_end = 0
    first_line = article.body.split("\n", 1)[0]
    if first_line.strip() == article.title.strip():
        title_end = len(first_line)
    return TemplateResponse(
        request,
        "articles/detail.html",
        {
            "article": article,
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
    context_statements = list(
        Statement.objects.filter(article=statement.article, paragraph=statement.paragraph)
        .with_attributions()
        .order_by("ordinal")
    )
    neighbours = Statement.objects.filter(article=statement.article).only("pk", "ordinal")
    previous = neighbours.filter(ordinal__lt=statement.ordinal).order_by("-ordinal").first()
    following = neighbours.filter(ordinal__gt=statement.ordinal).order_by("ordinal").first()
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
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        sources = list(
            Source.objects.listed()
            .filter(Q(name__icontains=query) | Q(aliases__text__icontains=query))
            .distinct()
            .order_by("name")[:10]
        )
    return TemplateResponse(
        request, "articles/search.html", {"query": query, "page": page, "sources": sources}
    )
