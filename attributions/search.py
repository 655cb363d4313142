"""The search page's work: filters, pages and highlights over articles.search's matching.

Pages are newest first with keyset links (each page costs the same however deep), or, sorted
by relevance, the best of the newest ``CANDIDATES`` matches. No page counts the whole match
set: a page knows only whether there is another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection

from articles import search as fulltext
from articles.models import Statement
from articles.paging import encode_cursor
from attributions.models import Source, attributed_to, with_attributions

PAGE_SIZE = 25
#: Relevance ranks at most this many of the newest matches.
CANDIDATES = 500


@dataclass
class Filters:
    source: Source | None = None
    state: str = ""
    publisher: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, statements):
        if self.source is not None:
            statements = attributed_to(statements, self.source)
        if self.state:
            statements = statements.filter(state=self.state)
        if self.publisher:
            statements = statements.filter(article__publisher=self.publisher)
        if self.since or self.until:
            # An article's date is its publication date, else the day it was imported.
            statements = statements.dated(self.since, self.until)
        return statements

    @property
    def any(self) -> bool:
        return bool(self.source or self.state or self.publisher or self.since or self.until)


@dataclass
class Results:
    statements: list = field(default_factory=list)
    older: str | None = None  # cursor of the next (older) page
    newer: str | None = None  # cursor of the previous (newer) page
    page: int = 1  # relevance pages are numbered (within the bounded candidates)
    more: bool = False  # relevance: another page exists
    capped: bool = False  # relevance: the candidates were cut at CANDIDATES

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def _newest_ids(querysets, *, older_than: int | None, newer_than: int | None, size: int) -> list[int]:
    """Ids of the newest ``size`` matches past the cursor, merged across the querysets."""
    ids: list[int] = []
    for queryset in querysets:
        if newer_than is not None:
            ids += queryset.filter(pk__gt=newer_than).order_by("pk").values_list("pk", flat=True)[:size]
        else:
            edge = queryset if older_than is None else queryset.filter(pk__lt=older_than)
            ids += edge.order_by("-pk").values_list("pk", flat=True)[:size]
    if newer_than is not None:
        return sorted(ids)[:size]
    return sorted(ids, reverse=True)[:size]


def _page_ids(base, query: str, *, older_than: int | None, newer_than: int | None, size: int) -> list[int]:
    """``_newest_ids`` of the matches of ``query``, first among the statements next to the
    page's edge when the query calls for that walk (``articles.search.walks``): when that many
    match there, no match beyond can come before them."""
    languages = None
    if fulltext.walks(query):
        languages = fulltext.other_languages()  # read once, for the walk and the index
        near = base.next_to(below=older_than, above=newer_than)
        walked = fulltext.matching(near, query, indexed=False, languages=languages)
        ids = _newest_ids(walked, older_than=older_than, newer_than=newer_than, size=size)
        if len(ids) >= size:
            return ids
    found = fulltext.matching(base, query, languages=languages)
    return _newest_ids(found, older_than=older_than, newer_than=newer_than, size=size)


def _shown(ids: list[int]) -> list[Statement]:
    statements = with_attributions(
        Statement.objects.filter(pk__in=ids)
        .select_related("article")
        .only(
            "pk",
            "text",
            "start",
            "state",
            "article__id",
            "article__title",
            "article__publisher",
            "article__published_on",
            "article__created_at",
            "article__language",
        )
    )
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(statements, key=lambda s: order[s.pk])


def newest(
    query: str, filters: Filters, *, older_than: int | None = None, newer_than: int | None = None
) -> Results:
    """A page of matches, newest first."""
    base = filters.apply(Statement.objects.published_without_joins())
    ids = _page_ids(base, query, older_than=older_than, newer_than=newer_than, size=PAGE_SIZE + 1)
    if newer_than is not None:
        if len(ids) <= PAGE_SIZE:  # back at the top: the first page as it stands now
            return newest(query, filters)
        ids = ids[:PAGE_SIZE][::-1]
        results = Results(older=encode_cursor((ids[-1],)), newer=encode_cursor((ids[0],)))
    else:
        more = len(ids) > PAGE_SIZE
        ids = ids[:PAGE_SIZE]
        results = Results(
            older=encode_cursor((ids[-1],)) if more else None,
            newer=encode_cursor((ids[0],)) if older_than is not None and ids else None,
        )
    results.statements = _shown(ids)
    return results


def best(query: str, filters: Filters, *, page: int = 1) -> Results:
    """A page of the newest CANDIDATES matches ranked by relevance."""
    base = filters.apply(Statement.objects.published_without_joins())
    candidates = _newest_ids(
        fulltext.matching(base, query), older_than=None, newer_than=None, size=CANDIDATES
    )
    if connection.vendor == "postgresql":
        ranked = (
            Statement.objects.filter(pk__in=candidates)
            .annotate(
                rank=SearchRank(
                    fulltext.StoredVector(), SearchQuery(query, config="english", search_type="websearch")
                )
            )
            .order_by("-rank", "-pk")
            .values_list("pk", flat=True)
        )
        order = list(ranked)
    else:
        texts = dict(Statement.objects.filter(pk__in=candidates).values_list("pk", "text"))
        ranks = fulltext.plain_ranks(texts, query)
        order = sorted(candidates, key=lambda pk: (-ranks.get(pk, 0), -pk))
    pages = max(1, -(-len(order) // PAGE_SIZE))
    page = min(max(1, page), pages)
    ids = order[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return Results(statements=_shown(ids), page=page, more=page < pages, capped=len(candidates) >= CANDIDATES)


def highlight(results: Results, query: str) -> None:
    marked = fulltext.highlights(results.statements, query)
    for statement in results.statements:
        statement.highlighted = marked.get(statement.pk)
