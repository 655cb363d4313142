"""What the pages show of statements and their sources: legends, colours, the editor's panel.

Views fetch and decide who may see what; these helpers shape what was fetched for templates.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from articles.models import Statement
from attributions.models import Attribution, CrossReference, Source, with_attributions


def legend_for(statements) -> dict:
    """The "who is quoted" breakdown of an article's statements (prefetched attributions)."""
    counts: Counter = Counter()
    sources = {}
    states: Counter = Counter()
    frames = 0
    for statement in statements:
        claimed = statement.claimed
        if claimed:
            counts[claimed.source_id] += 1
            sources[claimed.source_id] = claimed.source
        elif statement.is_frame and statement.state != Statement.State.OWN_CLAIM:
            frames += 1  # "X, a long description, said": part of an attribution, not a claim
        else:
            states[statement.state] += 1
    rows = [
        {"source": sources[source_id], "count": count}
        for source_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], sources[kv[0]].name))
    ]
    # Distinct colours within the article, in legend order (the palette's first hues differ most).
    colours = {row["source"].pk: index for index, row in enumerate(rows)}
    for statement in statements:
        for attribution in statement.shown:
            attribution.source.colour = colours.setdefault(attribution.source_id, len(colours))
    State = Statement.State
    return {
        "legend": rows,
        "own_count": states[State.OWN_CLAIM],
        "needs_source_count": states[State.NEEDS_SOURCE],
        "no_source_count": states[State.NO_SOURCE],
        "frame_count": frames,
        "colours": colours,
    }


def match_legend(attributions, colours: dict[int, int]) -> None:
    """Give ``attributions`` the colours their article's legend gives the same sources."""
    for attribution in attributions:
        if attribution.source_id in colours:
            attribution.source.colour = colours[attribution.source_id]


def article_colours(article_id: int) -> tuple[list[Statement], dict]:
    """The article's statements as its page shows them, and its legend."""
    statements = list(with_attributions(Statement.objects.filter(article_id=article_id)))
    return statements, legend_for(statements)


def references_for(statement: Statement) -> list[CrossReference]:
    return list(
        CrossReference.objects.filter(Q(from_statement=statement) | Q(to_statement=statement))
        .select_related("from_statement__article", "to_statement__article", "created_by")
        .order_by("-created_at", "-pk")
    )


def key_attribution(attributions, role: str = Attribution.Role.SOURCE) -> int | None:
    """The suggestion of ``role`` that the keys act on (a/r for sources, v/x for via)."""
    return next((a.pk for a in attributions if a.is_suggested and a.role == role), None)


def panel_context(
    statement: Statement,
    *,
    origin: str = "article",
    message: str = "",
    level: str = "info",
    kept: dict | None = None,
) -> dict:
    """The editor's panel for a statement (prefetched with ``all_statuses``).

    ``kept`` is what the editor typed into a form that could not be saved (a conflict, a
    mistake): the panel shows it again, in the form it came from, ready to resubmit.
    """
    return {
        "statement": statement,
        "attributions": statement.all_attributions,
        "key_attribution": key_attribution(statement.all_attributions),
        "key_via": key_attribution(statement.all_attributions, Attribution.Role.VIA),
        "origin": origin,
        "message": message,
        "level": level,
        "kinds": Source.Kind.choices,
        "kept": kept or {},
    }
