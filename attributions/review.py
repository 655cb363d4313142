"""The review queue: unreviewed suggestions, oldest first, one at a time."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet

from articles.models import Article, Statement
from attributions.forms import ReviewFilterForm
from attributions.models import Attribution, Source, with_attributions
from attributions.presence import busy_articles
from attributions.presentation import panel_context

#: Editors' forms in the queue carry its filters in fields with this prefix ("queue-source"),
#: so they never collide with the form's own fields (the source an editor picks is "source").
FORM_PREFIX = "queue"
#: Counts above this show as "1,000+": the queue never counts everything pending.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class ReviewFilters:
    source: Source | None = None
    article: int | None = None
    min_confidence: float | None = None
    skip_busy: bool = False

    @classmethod
    def from_form(cls, form: ReviewFilterForm) -> ReviewFilters:
        """The filters of a validated form; an invalid form filters nothing."""
        if not form.is_valid():
            return cls()
        data = form.cleaned_data
        return cls(
            source=data["source"],
            article=data["article"],
            min_confidence=data["min_confidence"],
            skip_busy=data["skip_busy"],
        )

    def chosen(self) -> Q:
        """The claimed sources the editor's filters choose, before articles are left out."""
        condition = Q(role=Attribution.Role.SOURCE)
        if self.source:
            # By id, not by slug through a join: the planner then knows how many rows the
            # source has, and does not walk every attribution looking for one it has none of.
            condition &= Q(source=self.source)
        if self.article:
            condition &= Q(statement__article_id=self.article)
        if self.min_confidence is not None:
            condition &= Q(confidence__gte=self.min_confidence)
        return condition

    def left_out(self, user=None) -> QuerySet:
        """The ids of the articles the queue leaves out, as a subquery: withdrawn ones and, when
        skipping busy articles, those other editors are on (``user`` is the editor)."""
        withdrawn = Article.objects.withdrawn().order_by().values("pk")
        if self.skip_busy and user is not None:
            return withdrawn.union(busy_articles(user).order_by())
        return withdrawn

    def condition(self, user=None) -> Q:
        """The attributions in the queue, decided or not."""
        return self.chosen() & ~Q(statement__article__in=self.left_out(user))

    def _params(self) -> dict:
        return {
            "source": self.source.slug if self.source else "",
            "article": self.article or "",
            "min_confidence": "" if self.min_confidence is None else self.min_confidence,
            "skip_busy": "1" if self.skip_busy else "",
        }

    def as_query(self, **extra) -> str:
        params = {**self._params(), **extra}
        return urlencode({k: v for k, v in params.items() if v != ""})

    def as_fields(self) -> dict:
        """Hidden fields carrying the filters through an editor's form."""
        return {f"{FORM_PREFIX}-{name}": value for name, value in self._params().items()}


def queue_counts(filters: ReviewFilters, user=None) -> tuple[int, int]:
    """The suggestions left to review and those reviewed under ``filters``, each counted up to
    ``COUNT_LIMIT + 1`` (shown as "1,000+"), not over everything on each request.

    Asking of each attribution whether the queue leaves its article out joins it to its
    statement and article: about 15 ms a count at a million statements, most of the page. The
    left-out articles are few, so their rows are counted apart, from the articles; the rest are
    counted over the attributions' (source, role, status) index alone, as far past the bound as
    rows were left out, and those taken off: below the bound that is the exact count, and at
    it, more than the bound remain either way.
    """
    chosen = Attribution.objects.filter(filters.chosen()).order_by()
    in_left_out = chosen.filter(statement__article__in=filters.left_out(user))
    left_out = dict(in_left_out.values_list("status").annotate(n=Count("*")))

    def count(*statuses: str) -> int:
        skipped = sum(left_out.get(status, 0) for status in statuses)
        # The status, not the id: unless a filter reads another column (confidence, the
        # article), the count reads the index alone and never visits the rows.
        rows = chosen.filter(status__in=statuses).values("status")
        return rows[: COUNT_LIMIT + 1 + skipped].count() - skipped

    return (
        count(Attribution.Status.SUGGESTED),
        count(Attribution.Status.CONFIRMED, Attribution.Status.REJECTED),
    )


def review_context(
    filters: ReviewFilters,
    *,
    after: int | None = None,
    before: int | None = None,
    message: str = "",
    level: str = "info",
    kept: dict | None = None,
    user=None,
) -> dict:
    """The current item (an attribution awaiting review) with its context and the progress;
    ``user`` is the editor, for skipping the articles other editors are on."""
    matching = Attribution.objects.filter(filters.condition(user))
    pending = matching.filter(status=Attribution.Status.SUGGESTED)
    if before is not None:
        item = pending.filter(pk__lt=before).order_by("-pk").select_related("source").first()
        if item is None:
            item = pending.order_by("-pk").select_related("source").first()  # wrap around
    else:
        start = pending.filter(pk__gt=after) if after is not None else pending
        item = start.order_by("pk").select_related("source").first()
        if item is None and after is not None:
            item = pending.order_by("pk").select_related("source").first()  # wrap around
    remaining, reviewed = queue_counts(filters, user)
    exact = remaining <= COUNT_LIMIT and reviewed <= COUNT_LIMIT
    context = {
        "filters": filters,
        "filter_fields": filters.as_fields(),
        "filter_source_name": filters.source.name if filters.source else "",
        "item": item,
        "remaining": remaining,
        "reviewed": reviewed,
        "total": remaining + reviewed,
        "counts_exact": exact,
        "count_limit": COUNT_LIMIT,
        "message": message,
        "level": level,
        "origin": "review",
        "kinds": Source.Kind.choices,
    }
    if item is not None:
        statement = with_attributions(Statement.objects.select_related("article"), all_statuses=True).get(
            pk=item.statement_id
        )
        context.update(panel_context(statement, origin="review", message=message, level=level, kept=kept))
        context.update(
            key_attribution=item.pk,
            paragraph=list(
                Statement.objects.filter(article_id=statement.article_id, paragraph=statement.paragraph)
                .order_by("start")
                .only("pk", "text", "start")
            ),
            next_query=filters.as_query(after=item.pk),
            previous_query=filters.as_query(before=item.pk),
        )
    return context
