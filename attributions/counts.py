"""The figures reader pages show counted over whole tables (articles.figures keeps them in
the shared cache). Registered by name when the app loads, so an import in any process can
count them afresh before it ends."""

from __future__ import annotations

from django.db.models import Count

from articles import figures
from articles.models import Article, Statement
from attributions.models import Attribution, Source

#: How long a figure counts as fresh when nothing marked it changed.
FRESH_SECONDS = 60


@figures.figure("site-figures", FRESH_SECONDS)
def site_figures() -> dict:
    """The home page's totals and most quoted sources."""
    readers_see = Attribution.objects.filter(
        statement__article__withdrawn_at__isnull=True, statement__start__isnull=False
    )
    status_counts = dict(readers_see.order_by().values_list("status").annotate(n=Count("pk")))
    top = list(
        Attribution.objects.published()
        .filter(role=Attribution.Role.SOURCE, source__proposed=False)
        .order_by()
        .values_list("source")
        .annotate(n=Count("pk"))
        .order_by("-n")[:8]
    )
    names = Source.objects.in_bulk([source_id for source_id, _ in top])
    top_sources = []
    for source_id, count in top:
        source = names[source_id]
        source.claimed_count = count
        top_sources.append(source)
    return {
        "top_sources": top_sources,
        "article_total": Article.objects.published().count(),
        "statement_total": Statement.objects.published().count(),
        "source_total": Source.objects.listed().count(),
        "confirmed_total": status_counts.get(Attribution.Status.CONFIRMED, 0),
        "suggested_total": status_counts.get(Attribution.Status.SUGGESTED, 0),
    }


@figures.figure("article-total", FRESH_SECONDS)
def article_total() -> int:
    """Articles readers can open (the article list's heading)."""
    return Article.objects.published().count()


@figures.figure("source-counts", FRESH_SECONDS)
def source_counts() -> dict[int, dict[str, int]]:
    """Statements claimed by and carried via each source (the directory), by role."""
    counts: dict[int, dict[str, int]] = {}
    rows = Attribution.objects.published().order_by().values_list("source", "role").annotate(n=Count("pk"))
    for source_id, role, n in rows:
        counts.setdefault(source_id, {})[role] = n
    return counts


@figures.figure("publishers", 600)
def publishers() -> list[str]:
    """The publishers articles name, for the search filter's suggestions."""
    names = Article.objects.published().exclude(publisher="").values_list("publisher", flat=True)
    return sorted(set(names.order_by().distinct()[:500]))
