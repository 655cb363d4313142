"""What the pages show of statements and their sources: legends, patterns, the editor's panel.

Views fetch and decide who may see what; these helpers shape what was fetched for templates.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet
from django.urls import reverse

from articles.models import Statement
from attributions.engine import name_part
from attributions.models import (
    PALETTE_SIZE,
    SHOWN_ORDER,
    Attribution,
    CrossReference,
    Source,
    with_attributions,
)

WORDS = re.compile(r"\S+")

#: Patterns that tell apart sources of one article sharing a colour (app.css .pat-1 ...).
PATTERNS = 4


def address_pattern(view: str, stand_in: int | str) -> str:
    """The address of ``view`` with ``{}`` where its one argument goes, for pages of hundreds
    of links to format each into (``reverse`` costs tens of microseconds a call).
    ``stand_in`` is an argument of the right kind that no real address holds."""
    return reverse(view, args=[stand_in]).replace(str(stand_in), "{}")


def source_address_pattern() -> str:
    """``Source.get_absolute_url`` as a pattern to format a slug into."""
    return address_pattern("attributions:source", "slug-stand-in")


def patterns_for(source_ids: Iterable[int]) -> dict[int, int]:
    """A second cue for the sources of one page that share a colour: the source with the
    lowest primary key of each colour is plain, the next ones get patterns 1, 2, 3."""
    by_colour: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(set(source_ids)):
        by_colour[pk % PALETTE_SIZE].append(pk)
    return {pk: index % PATTERNS for group in by_colour.values() for index, pk in enumerate(group)}


def article_patterns(article_id: int) -> dict[int, int]:
    """The patterns of every source an article's visible attributions name."""
    ids = (
        Attribution.objects.visible()
        .filter(statement__article_id=article_id)
        .order_by()
        .values_list("source_id", flat=True)
        .distinct()
    )
    return patterns_for(ids)


#: The fields of a source the article's text and legend show, in the model's order (the order
#: ``Model.from_db`` reads values in).
SOURCE_FIELDS = ["id", "name", "slug"]


class ShownAttribution(NamedTuple):
    """An attribution as an article's text and legend show it: a row, not a model instance."""

    role: str
    status: str
    source_id: int
    source: Source

    @property
    def is_suggested(self) -> bool:
        return self.status == Attribution.Status.SUGGESTED


@dataclass(slots=True)
class TextStatement:
    """A statement as an article's text shows it (``text_statements``): what its span, the
    legend and the editing fragments read, with the attributions readers may see as ``shown``
    (in ``SHOWN_ORDER``, as ``with_attributions`` gives them)."""

    pk: int
    start: int
    end: int
    text: str
    state: str
    is_frame: bool
    span_origin: str
    reviewed: bool
    shown: list[ShownAttribution] = field(default_factory=list)
    #: the ids of statements whose words it holds now (attributions.views.with_tombstones)
    tombstone_ids: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> ShownAttribution | None:
        """As ``Statement.claimed``: the first shown attribution of a claimed source."""
        return next((a for a in self.shown if a.role == Attribution.Role.SOURCE), None)

    @property
    def conduit(self) -> ShownAttribution | None:
        return next((a for a in self.shown if a.role == Attribution.Role.VIA), None)


def text_statements(statements: QuerySet[Statement]) -> list[TextStatement]:
    """``statements`` (anchored ones) in reading order, with the attributions readers may see.

    What ``with_attributions`` gives, from rows: an article of 400 statements and 500
    attributions spent more time building model instances (and a copy of a source for each
    of its attributions) than in its queries. Two queries; one ``Source`` per source, with
    only the name and slug the text and legend show (what ``only()`` would give).
    """
    found = {
        row[0]: TextStatement(*row)
        for row in statements.order_by("start").values_list(
            "pk", "start", "end", "text", "state", "is_frame", "span_origin", "reviewed"
        )
    }
    attributions = (
        Attribution.objects.visible()
        .filter(statement__in=statements)  # a subquery: no parameter per statement to send
        .order_by("statement_id", *SHOWN_ORDER)
        .values_list("statement_id", "role", "status", "source_id", "source__name", "source__slug")
    )
    sources: dict[int, Source] = {}
    for statement_id, role, status, source_id, name, slug in attributions:
        statement = found.get(statement_id)
        if statement is None:  # tagged by an editor since the first query: the next view shows it
            continue
        source = sources.get(source_id)
        if source is None:
            source = sources[source_id] = Source.from_db(
                attributions.db, SOURCE_FIELDS, (source_id, name, slug)
            )
        statement.shown.append(ShownAttribution(role, status, source_id, source))
    return list(found.values())


def paint(attributions: Iterable[Attribution | ShownAttribution], patterns: dict[int, int]) -> None:
    """Give the attributions' sources the pattern they have on their article's page."""
    for attribution in attributions:
        attribution.source.pattern = patterns.get(attribution.source_id, 0)


def _legend(facts, sources: dict[int, Source]) -> dict:
    """The "who is quoted" breakdown from one (state, is_frame, claimed source id or None,
    reviewed) per statement; ``sources`` holds the claimed sources, painted. With how many of
    the statements (frames aside) editors have reviewed."""
    State = Statement.State
    counts: Counter = Counter()
    states: Counter = Counter()
    frames = total = reviewed = to_review = 0
    for state, frame, source_id, decided in facts:
        total += 1
        if not frame:  # words introducing a claim are not themselves reviewed
            to_review += 1
            reviewed += decided
        if source_id is not None:
            counts[source_id] += 1
        elif frame and state != State.OWN_CLAIM:
            frames += 1  # "X, a long description, said": part of an attribution, not a claim
        else:
            states[state] += 1
    address = source_address_pattern()
    rows = [
        {"source": sources[source_id], "count": count, "url": address.format(sources[source_id].slug)}
        for source_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], sources[kv[0]].name))
    ]
    return {
        "legend": rows,
        "own_count": states[State.OWN_CLAIM],
        "needs_source_count": states[State.NEEDS_SOURCE],
        "no_source_count": states[State.NO_SOURCE],
        "frame_count": frames,
        "statement_count": total,
        "reviewed_count": reviewed,
        "review_total": to_review,
    }


def legend_for(statements) -> dict:
    """The legend of statements already loaded with their attributions (and painted)."""
    facts, sources = [], {}
    for statement in statements:
        claimed = statement.claimed
        if claimed:
            sources[claimed.source_id] = claimed.source
        facts.append(
            (statement.state, statement.is_frame, claimed.source_id if claimed else None, statement.reviewed)
        )
    return _legend(facts, sources)


def article_legend(article_id: int, patterns: dict[int, int] | None = None) -> dict:
    """The legend of an article from a few grouped queries and no statement objects, so an
    answer to an editor's write redraws it cheaply. Agrees with ``legend_for``."""
    claims = (
        Attribution.objects.visible()
        .filter(statement__article_id=article_id, role=Attribution.Role.SOURCE)
        # the order of with_attributions(): a statement's claimed source is its first one
        .order_by("statement_id", "status", "-confidence", "pk")
        .values_list("statement_id", "source_id")
    )
    claimed: dict[int, int] = {}
    for statement_id, source_id in claims:
        claimed.setdefault(statement_id, source_id)
    facts = [
        (state, frame, claimed.get(pk), reviewed)
        for pk, state, frame, reviewed in Statement.objects.anchored()
        .filter(article_id=article_id)
        .values_list("pk", "state", "is_frame", "reviewed")
    ]
    sources = Source.objects.in_bulk(set(claimed.values()))
    patterns = article_patterns(article_id) if patterns is None else patterns
    for source in sources.values():
        source.pattern = patterns.get(source.pk, 0)
    return _legend(facts, sources)


def paint_statements(statements) -> dict[int, int]:
    """Give every shown source of an article's statements its pattern; returns the patterns."""
    shown = [a for statement in statements for a in statement.shown]
    patterns = patterns_for(a.source_id for a in shown)
    paint(shown, patterns)
    return patterns


def references_for(statement: Statement, *, editor: bool = False) -> list[CrossReference]:
    """The statement's links. Readers see only those to published statements; editors see
    all (the template marks those leading to a withdrawn article)."""
    links = CrossReference.objects.all() if editor else CrossReference.objects.published()
    links = links.select_related("from_statement__article", "to_statement__article", "created_by")
    # A union of the two directions: each uses its own index, where an OR scans the table.
    found = {link.pk: link for link in links.filter(from_statement=statement)}
    found.update((link.pk, link) for link in links.filter(to_statement=statement))
    return sorted(found.values(), key=lambda link: (link.created_at, link.pk), reverse=True)


def key_attribution(attributions, role: str = Attribution.Role.SOURCE) -> int | None:
    """The suggestion of ``role`` that the keys act on (a/r for sources, v/x for via)."""
    return next((a.pk for a in attributions if a.is_suggested and a.role == role), None)


def words_of(statement: Statement) -> list[tuple[int, str]]:
    """The statement's words after the first, with their body offsets: where it can be split."""
    return [(statement.start + m.start(), m.group()) for m in WORDS.finditer(statement.text)][1:]


#: The span tools' buttons: edge, step, key, label.
RESIZE_BUTTONS = [
    ("start", 1, "[", "← Widen the start"),
    ("start", -1, "{", "Narrow the start →"),
    ("end", -1, "}", "← Narrow the end"),
    ("end", 1, "]", "Widen the end →"),
]


def span_tools(statement: Statement) -> dict:
    """What the panel's span tools need: the next statement of the paragraph (to merge with)
    and whether merging must ask whose sources to keep."""
    following = with_attributions(
        Statement.objects.filter(
            article_id=statement.article_id, paragraph=statement.paragraph, start__gte=statement.end
        ).order_by("start")
    ).first()
    ours = {a.source_id for a in statement.shown if a.role == Attribution.Role.SOURCE}
    theirs = (
        {a.source_id for a in following.shown if a.role == Attribution.Role.SOURCE} if following else set()
    )
    return {
        "resize_buttons": RESIZE_BUTTONS,
        "following": following,
        "merge_asks": bool(ours and theirs and ours != theirs),
        "split_words": words_of(statement),
    }


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
    shown = [a for a in statement.all_attributions if a.status != Attribution.Status.REJECTED]
    claimed = next((a for a in shown if a.role == Attribution.Role.SOURCE), None)
    context = {
        "statement": statement,
        "claimed_marks": claimed,
        "alias_prefill": name_part(claimed.mention) if claimed else "",
        "attributions": statement.all_attributions,
        "key_attribution": key_attribution(statement.all_attributions),
        "key_via": key_attribution(statement.all_attributions, Attribution.Role.VIA),
        "origin": origin,
        "message": message,
        "level": level,
        "kinds": Source.Kind.choices,
        "kept": kept or {},
    }
    if origin == "article" and statement.is_anchored:
        context.update(span_tools(statement))
    return context
