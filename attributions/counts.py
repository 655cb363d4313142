"""The figures reader pages show counted over whole tables (articles.figures keeps them in
the shared cache). Registered by name when the app loads, so an import in any process can
count them afresh before it ends."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

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


def published_by(attributions: QuerySet[Attribution], *fields: str) -> Counter:
    """How many of ``attributions`` readers see (``Attribution.objects.published()``), by
    ``fields``: columns of the attributions' (source, role, status) index.

    Asking each attribution whether its statement is published joins every one to its
    statement and article: most of a second for the biggest source at a million statements.
    Those readers do not see are few (statements waiting for a span, those of withdrawn
    articles), so the visible ones are counted over the index alone and those few taken off.
    """
    visible = attributions.visible().order_by()
    unseen = visible.filter(statement__in=Statement.objects.unpublished_ids())

    def by_fields(rows: QuerySet[Attribution]) -> dict[tuple, int]:
        return {row[:-1]: row[-1] for row in rows.values_list(*fields).annotate(n=Count("*"))}

    counts = Counter(by_fields(visible))
    counts.subtract(by_fields(unseen))
    return +counts  # without the groups readers see none of


def counts_for_source(source: Source) -> dict[str, int]:
    """The statements ``source`` claims and carries, by role, as the directory shows them.

    From the directory's figure when the cache holds it. When it does not (an emptied cache, a
    new deployment), this source alone is counted, and the figure is counted again in the
    background as a stale one is: a source page never counts every source.
    """
    every = figures.last_counted("source-counts")
    if every is not None:
        return every.get(source.pk, {})
    return {role: n for (role,), n in published_by(Attribution.objects.filter(source=source), "role").items()}


@figures.figure("source-counts", FRESH_SECONDS)
def source_counts() -> dict[int, dict[str, int]]:
    """Statements claimed by and carried via each source (the directory), by role."""
    counts: dict[int, dict[str, int]] = {}
    for (source_id, role), n in published_by(Attribution.objects.all(), "source", "role").items():
        counts.setdefault(source_id, {})[role] = n
    return counts


@figures.figure("publishers", 600)
def publishers() -> list[str]:
    """The publishers articles name, for the search filter's suggestions."""
    names = Article.objects.published().exclude(publisher="").values_list("publisher", flat=True)
    return sorted(set(names.order_by().distinct()[:500]))
