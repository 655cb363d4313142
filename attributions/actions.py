"""Every editor write: atomic, keyword-only, the acting user passed in, recorded in history.

Each action that changes a statement takes the statement ``revision`` the editor was
looking at. If another editor changed the statement since, the action raises ``Conflict``
and writes nothing, so nobody silently overwrites anybody. Each action leaves the statement
in the state its attributions and the editor's decision give it (``state_for``), so every
page, export and count can read that one stored field.

A race the checks cannot see (two editors creating the same source at the same moment) ends
in the database's unique constraints; the actions catch that and raise an ``ActionError``
with a message, never a bare ``IntegrityError``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from articles import figures
from articles.importing import content_hash
from articles.models import Article, Statement, StatementTombstone
from articles.spans import Reanchoring, SpanError, outside, paragraph_of, snap, trim
from articles.text import normalise, paragraph_spans, title_from
from attributions import journal
from attributions.engine import normalise_alias
from attributions.models import (
    Attribution,
    CrossReference,
    EditorAction,
    Source,
    SourceAlias,
    bare_alias_refusal,
    is_reviewed,
    state_for,
)

Status = Attribution.Status
Role = Attribution.Role
State = Statement.State


class ActionError(Exception):
    """A request an editor can fix: the message says what was wrong."""

    status = 422


class Conflict(ActionError):
    """The statement changed since the editor loaded it, or someone else got there first."""

    status = 409


CONFLICT_MESSAGE = (
    "Another editor changed this statement while you were looking at it. "
    "This is how it stands now: check it and try again."
)


def _claim(statement: Statement, revision: int | None) -> None:
    """Bump the statement's revision, or fail if it is not the one the editor saw.

    The update also locks the statement's row until the action commits, so two actions on one
    statement run one after the other. ``revision=None`` (the admin, scripts) skips the check.
    """
    rows = Statement.objects.filter(pk=statement.pk)
    if revision is not None:
        rows = rows.filter(revision=revision)
    if not rows.update(revision=F("revision") + 1):
        raise Conflict(CONFLICT_MESSAGE)
    current = Statement.objects.values("revision", "state", "reviewed").get(pk=statement.pk)
    statement.revision, statement.state, statement.reviewed = (
        current["revision"],
        current["state"],
        current["reviewed"],
    )


def _keep_baseline(statement: Statement) -> None:
    """Record a statement as the import stored it before its first change, so its history
    shows every before and after (the import itself writes no history rows)."""
    if Statement.history.filter(id=statement.pk).exists():
        return
    stored = Statement.objects.select_related("article").get(pk=statement.pk)
    stored._history_user = None  # the engine, not whoever makes the first change
    # Dated when the import was done with it: after the article and the engine's suggestions.
    suggested = (
        Attribution.objects.filter(statement=stored).exclude(method="editor").aggregate(at=Max("created_at"))
    )
    imported = max(filter(None, [stored.article.created_at, suggested["at"]]))
    Statement.history.bulk_history_create(
        [stored], default_change_reason="as imported", default_date=imported
    )


def _figures_changed() -> None:
    """What readers count changed: the cached home and directory figures go once it is saved."""
    transaction.on_commit(lambda: figures.changed(*figures.READER_FIGURES))


def action(func):
    """An editor write: one transaction, after which the cached figures are counted afresh
    (in every process: the cache is shared)."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        with transaction.atomic():
            result = func(*args, **kwargs)
            _figures_changed()
        return result

    return run


def _keep_article_baseline(article: Article) -> None:
    """Record an article as imported before its first change (the import writes no history)."""
    if not Article.history.filter(id=article.pk).exists():
        stored = Article.objects.get(pk=article.pk)
        stored._history_user = None
        Article.history.bulk_history_create(
            [stored], default_change_reason="imported", default_date=stored.created_at
        )


def _keep_attribution_baseline(attribution: Attribution) -> None:
    """The engine's suggestion as it made it, before an editor's first change to it."""
    if Attribution.history.filter(id=attribution.pk).exists():
        return
    stored = Attribution.objects.get(pk=attribution.pk)
    stored._history_user = None
    Attribution.history.bulk_history_create(
        [stored], default_change_reason="as suggested", default_date=stored.created_at
    )


def _save(instance, by, **fields) -> None:
    """Set ``fields`` and save only those, so a concurrent change to another field stands."""
    adding = instance._state.adding
    if not adding and isinstance(instance, Statement):
        _keep_baseline(instance)
    if isinstance(instance, Attribution):
        # The statement as it was before, so every change of its attributions has a version
        # of the statement to restore (see attributions.history).
        _keep_baseline(Statement(pk=instance.statement_id))
        if not adding:
            _keep_attribution_baseline(instance)
    before = journal.source_row(instance) if not adding and isinstance(instance, Source) else None
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = by
    instance.save(update_fields=None if adding else list(fields))
    if isinstance(instance, (Source, SourceAlias)):
        journal.made(instance, before=before)  # an undo takes it back


def _review(attribution: Attribution, status: str, by) -> None:
    if attribution.status != status:
        _save(attribution, by, status=status, reviewed_by=by, reviewed_at=timezone.now())


def _reject_others(statement: Statement, role: str, keep: Source | None, by) -> None:
    others = statement.attributions.visible().filter(role=role)
    if keep is not None:
        others = others.exclude(source=keep)
    for other in others:
        _review(other, Status.REJECTED, by)


def _restate(statement: Statement, by, decision: str | None = None) -> None:
    """Store the state the statement's attributions give it, with the editor's ``decision``,
    and whether editors have decided it (``reviewed``)."""
    attributions = list(statement.attributions.all())
    state = state_for(decision or statement.state, attributions)
    reviewed = is_reviewed(state, attributions)
    changed = {
        name: value
        for name, value in (("state", state), ("reviewed", reviewed))
        if getattr(statement, name) != value
    }
    if changed:
        _save(statement, by, **changed)


def _on_statement(statement: Statement, attribution_id: int) -> Attribution:
    """The attribution, provided it still belongs to ``statement``."""
    attribution = Attribution.objects.filter(pk=attribution_id, statement_id=statement.pk).first()
    if attribution is None:
        raise Conflict(
            "That suggestion is no longer on this statement. This is how the statement stands now."
        )
    return attribution


@action
def confirm(*, statement: Statement, attribution_id: int, by, revision: int | None) -> Attribution:
    """Confirm a suggestion (claimed source or via); the others of its role are rejected."""
    attribution = _on_statement(statement, attribution_id)
    _claim(statement, revision)
    attribution.refresh_from_db()
    # One confirmed source and one via per statement: the others go first.
    _reject_others(statement, attribution.role, attribution.source, by)
    _review(attribution, Status.CONFIRMED, by)
    _restate(statement, by)
    return attribution


@action
def reject(*, statement: Statement, attribution_id: int, by, revision: int | None) -> Attribution:
    """Reject a suggestion. Rejecting the last claimed source leaves the statement needing one."""
    attribution = _on_statement(statement, attribution_id)
    _claim(statement, revision)
    attribution.refresh_from_db()
    _review(attribution, Status.REJECTED, by)
    _restate(statement, by)
    return attribution


def _confirmed_link(statement: Statement, source: Source, role: str, by, mention: str = "") -> Attribution:
    attribution = Attribution.objects.filter(statement=statement, source=source, role=role).first()
    if attribution is None:
        attribution = Attribution(
            statement=statement,
            source=source,
            role=role,
            method="editor",
            created_by=by,
            mention=mention[:300],
            confidence=1.0,
        )
        _save(attribution, by, status=Status.CONFIRMED, reviewed_by=by, reviewed_at=timezone.now())
    else:
        _review(attribution, Status.CONFIRMED, by)
    return attribution


@action
def set_source(
    *, statement: Statement, source: Source, by, revision: int | None, mention: str = ""
) -> Attribution:
    """Make ``source`` the statement's confirmed claimed source (retag)."""
    _claim(statement, revision)
    return _retag(statement, source, by, mention)


def _retag(statement: Statement, source: Source, by, mention: str = "") -> Attribution:
    _reject_others(statement, Role.SOURCE, source, by)
    attribution = _confirmed_link(statement, source, Role.SOURCE, by, mention)
    via = statement.attributions.visible().filter(role=Role.VIA, source=source)
    for same in via:  # a source is not its own conduit
        _review(same, Status.REJECTED, by)
    _restate(statement, by, State.ATTRIBUTED)
    return attribution


@action
def set_via(*, statement: Statement, source: Source | None, by, revision: int | None) -> Attribution | None:
    """Set the outlet the statement came via, or clear it with ``source=None``."""
    _claim(statement, revision)
    _reject_others(statement, Role.VIA, source, by)
    if source is None:
        return None
    return _confirmed_link(statement, source, Role.VIA, by)


def _decide_unsourced(statement: Statement, decision: str, by, revision: int | None) -> Statement:
    _claim(statement, revision)
    roles = [Role.SOURCE, Role.VIA] if decision == State.OWN_CLAIM else [Role.SOURCE]
    for attribution in statement.attributions.visible().filter(role__in=roles):
        _review(attribution, Status.REJECTED, by)
    _restate(statement, by, decision)
    return statement


@action
def mark_own_claim(*, statement: Statement, by, revision: int | None) -> Statement:
    """The statement is the article's own claim: every attribution of it is rejected."""
    return _decide_unsourced(statement, State.OWN_CLAIM, by, revision)


@action
def mark_needs_source(*, statement: Statement, by, revision: int | None) -> Statement:
    """Someone is claimed to have said it, but none of the suggestions is right (or the editor
    cannot tell who): the suggested sources are rejected and the statement waits for one."""
    return _decide_unsourced(statement, State.NEEDS_SOURCE, by, revision)


@action
def set_note(*, statement: Statement, note: str, by, revision: int | None) -> Statement:
    _claim(statement, revision)
    _save(statement, by, note=note.strip()[:5000])
    return statement


def _new_source(*, name: str, kind: str, country: str, by) -> Source:
    """A new source an editor names, with its name as its first alias (see create_source)."""
    name = " ".join(name.split())
    country = country.strip().upper()
    if not name:
        raise ActionError("Give the new source a name.")
    if len(name) > 200:
        raise ActionError("A source name can be 200 characters at most.")
    if kind not in Source.Kind.values:
        raise ActionError("Choose what kind of source it is.")
    if country and (len(country) != 2 or not country.isalpha()):
        raise ActionError("Country must be a two-letter ISO code such as SY or GB, or left empty.")
    key = normalise_alias(name)
    if not key:
        raise ActionError("A source name needs letters or digits.")
    taken = SourceAlias.objects.filter(normalised=key).select_related("source").first()
    if taken:
        raise ActionError(f"“{name}” already names {taken.source.name}: choose that source instead.")
    same_name = [s for s in Source.objects.filter(name__iexact=name) if normalise_alias(s.name) == key]
    proposed = next((s for s in same_name if s.proposed), None)
    if proposed is None and same_name:
        raise ActionError(f"“{name}” is already a source: choose it from the list instead.")
    try:
        with transaction.atomic():  # a savepoint: a lost race is reported, not a broken transaction
            if proposed is not None:
                source = proposed
                _save(source, by, name=name, kind=kind, country=country, proposed=False)
            else:
                base = slugify(name)[:180] or "source"
                slug, n = base, 1
                while Source.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                source = Source(slug=slug)
                _save(source, by, name=name, kind=kind, country=country)
            _save(SourceAlias(source=source, created_by=by), by, text=name)
    except IntegrityError:
        raise Conflict(
            f"Another editor created “{name}” a moment ago: choose it from the list instead."
        ) from None
    return source


@action
def create_source(*, name: str, kind: str, country: str, by) -> Source:
    """A new source an editor names from the text, with its name as the first alias.

    If the engine already proposed a source by that name, that one is accepted (it keeps its
    statements) instead of a second source with the same name being made.
    """
    return _new_source(name=name, kind=kind, country=country, by=by)


@action
def create_and_set_source(
    *, statement: Statement, name: str, kind: str, country: str, by, revision: int | None
) -> Source:
    """Create a source and make it the statement's claimed source, both or neither."""
    _claim(statement, revision)  # first: a stale form creates no source either
    source = _new_source(name=name, kind=kind, country=country, by=by)
    _retag(statement, source, by)
    return source


@action
def add_alias(*, source: Source, text: str, by) -> SourceAlias:
    """Save the words a text uses for ``source``, so the next import suggests it."""
    text = " ".join(text.split())
    key = normalise_alias(text)
    if not key:
        raise ActionError("Type the words the text uses for the source.")
    if len(text) > 200:
        raise ActionError("An alias can be 200 characters at most.")
    refusal = bare_alias_refusal(text, source.name)
    if refusal:
        raise ActionError(refusal)

    def existing() -> SourceAlias | None:
        alias = SourceAlias.objects.filter(normalised=key).select_related("source").first()
        if alias is not None and alias.source_id != source.pk:
            raise ActionError(f"“{text}” already names {alias.source.name}.")
        return alias

    found = existing()
    if found is not None:
        return found
    alias = SourceAlias(source=source, created_by=by)
    try:
        with transaction.atomic():
            _save(alias, by, text=text)
    except IntegrityError:
        found = existing()  # saved by a request that ran at the same moment
        if found is None:
            raise
        return found
    return alias


@action
def remove_alias(*, alias_id: int, by) -> SourceAlias:
    """An alias an editor judged wrong no longer names its source (the history keeps it)."""
    alias = SourceAlias.objects.select_for_update().select_related("source").filter(pk=alias_id).first()
    if alias is None:
        raise ActionError("This name was already removed.")
    alias._history_user = by
    alias.delete()
    return alias


@action
def link(
    *, from_statement: Statement, to_statement: Statement, relation: str, note: str, by
) -> CrossReference:
    if from_statement.pk == to_statement.pk:
        raise ActionError("A statement cannot be linked to itself.")
    if relation not in CrossReference.Relation.values:
        raise ActionError("Choose how the statements relate.")
    already = ActionError("These statements are already linked that way.")
    if CrossReference.objects.filter(
        from_statement=from_statement, to_statement=to_statement, relation=relation
    ).exists():
        raise already
    reference = CrossReference(
        from_statement=from_statement, to_statement=to_statement, relation=relation, created_by=by
    )
    try:
        with transaction.atomic():
            _save(reference, by, note=note.strip()[:2000])
    except IntegrityError:
        raise already from None
    return reference


@action
def unlink(*, reference_id: int, by) -> None:
    reference = CrossReference.objects.select_for_update().filter(pk=reference_id).first()
    if reference is None:
        raise ActionError("This link was already removed.")
    reference._history_user = by
    reference.delete()


# Spans --------------------------------------------------------------------------------------
#
# Span actions change which words make up statements. They take the article's
# ``spans_revision`` the editor's page was drawn from (any span change bumps it), lock the
# statements they touch, and keep the guarantees the database enforces too: a statement's
# text is its slice of the body, and the statements of one article never overlap. So they
# always shrink and remove before they grow and add.


def _claim_spans(article: Article, revision: int | None) -> None:
    """Bump the article's spans revision, or fail if it is not the one the editor saw."""
    rows = Article.objects.filter(pk=article.pk)
    if revision is not None:
        rows = rows.filter(spans_revision=revision)
    if not rows.update(spans_revision=F("spans_revision") + 1):
        raise Conflict(
            "Another editor changed the statements of this article while you were selecting. "
            "The text shows them as they are now: select again."
        )
    article.spans_revision = Article.objects.values_list("spans_revision", flat=True).get(pk=article.pk)


def _respan(statement: Statement, body: str, start: int, end: int, by, reason: str, **fields) -> None:
    statement._change_reason = reason[:100]
    _save(statement, by, start=start, end=end, text=body[start:end], **fields)


def _rehome(gone: Statement, holder: Statement, by) -> None:
    """``gone`` stops being a span: its links, note and tombstones pass to ``holder``, and its
    id leads there from now on."""
    for reference in CrossReference.objects.filter(Q(from_statement=gone) | Q(to_statement=gone)):
        ends = {
            "from_statement": holder if reference.from_statement_id == gone.pk else reference.from_statement,
            "to_statement": holder if reference.to_statement_id == gone.pk else reference.to_statement,
        }
        duplicate = (
            ends["from_statement"].pk == ends["to_statement"].pk
            or CrossReference.objects.filter(
                from_statement=ends["from_statement"],
                to_statement=ends["to_statement"],
                relation=reference.relation,
            )
            .exclude(pk=reference.pk)
            .exists()
        )
        reference._history_user = by
        if duplicate:  # a link the holder has already, or one to itself
            reference.delete()
        else:
            _save(reference, by, **ends)
    if gone.note.strip():
        note = "\n\n".join(n for n in (holder.note.strip(), gone.note.strip()) if n)
        _save(holder, by, note=note[:5000])
    StatementTombstone.objects.filter(statement=gone).update(statement=holder)
    StatementTombstone.objects.create(id=gone.pk, article_id=gone.article_id, statement=holder)
    gone._history_user = by
    gone._change_reason = f"its words went into statement #{holder.pk}"
    gone.delete()


def _copy_attributions(source: Statement, target: Statement, by) -> None:
    """``target`` (a part split off ``source``) gets the same attributions, decisions included."""
    fields = [
        f.name
        for f in Attribution._meta.concrete_fields
        if f.name not in {"id", "statement", "created_at", "created_by"}
    ]
    for attribution in Attribution.objects.filter(statement=source):
        copy = Attribution(statement=target, created_by=attribution.created_by)
        _save(copy, by, **{name: getattr(attribution, name) for name in fields})


def _split_off(original: Statement, body: str, start: int, end: int, by) -> Statement:
    """A new statement over ``start, end`` (words that were ``original``'s), with the same
    attributions, note and state, so nothing of what editors said of them is lost."""
    part = Statement(article_id=original.article_id, paragraph=original.paragraph, is_frame=original.is_frame)
    _respan(
        part,
        body,
        start,
        end,
        by,
        f"split off statement #{original.pk}",
        note=original.note,
        state=original.state,
        reviewed=original.reviewed,
        span_origin=original.span_origin,
    )
    _copy_attributions(original, part, by)
    return part


def _place(article: Article, start: int, end: int, holder: Statement | None, by, reason: str) -> Statement:
    """Make ``start, end`` (already snapped) the span of ``holder``, or of a new statement.

    Statements it overlaps are split around it: what they keep outside it stays theirs (the
    left part keeps the id; a right part becomes a statement of its own with the same
    attributions and note). A statement with nothing left outside passes its links and note
    to the holder and leaves a tombstone; with no ``holder``, the first such grows into it.
    Neighbours shrink first and the holder moves last, so no two spans overlap at any moment.
    """
    body = article.body
    try:
        paragraph = paragraph_of(body, start, end)
    except SpanError as exc:
        raise ActionError(str(exc)) from None
    touched = Statement.objects.select_for_update().filter(article=article, start__lt=end, end__gt=start)
    if holder is not None and holder.pk is not None:
        touched = touched.exclude(pk=holder.pk)
    plan = [
        (statement, outside(body, statement.start, statement.end, start, end))
        for statement in touched.order_by("start")
    ]
    swallowed = [statement for statement, parts in plan if not parts]  # nothing of it left outside
    if holder is None:
        holder = swallowed.pop(0) if swallowed else Statement(article=article, paragraph=paragraph)
    right_parts: list[tuple[Statement, int, int]] = []
    for statement, parts in plan:
        _claim(statement, None)  # a panel open on it is out of date from now on
        if parts:
            (first_start, first_end), *rest = parts
            _respan(statement, body, first_start, first_end, by, "split: some of its words went to another")
            right_parts += [(statement, part_start, part_end) for part_start, part_end in rest]
    for statement in swallowed:
        if statement.pk != holder.pk:
            _rehome(statement, holder, by)
    if holder.pk is None:
        reason = "tagged by an editor"
    _respan(holder, body, start, end, by, reason, paragraph=paragraph, span_origin=Statement.Origin.EDITOR)
    for original, part_start, part_end in right_parts:
        _split_off(original, body, part_start, part_end, by)
    return holder


def _snapped(article: Article, start: int, end: int) -> tuple[int, int]:
    try:
        return snap(article.body, start, end)
    except SpanError as exc:
        raise ActionError(str(exc)) from None


@action
def tag(
    *,
    article: Article,
    start: int,
    end: int,
    by,
    spans_revision: int | None,
    source: Source | None = None,
    needs_source: bool = False,
) -> Statement:
    """A statement over the words an editor selected, with ``source`` confirmed as its claimed
    source (or marked as needing one). The selection is snapped to whole words; the
    statements it overlaps are split around it (see ``_place``)."""
    if source is None and not needs_source:
        raise ActionError("Choose the source the selected words are attributed to.")
    start, end = _snapped(article, start, end)
    _claim_spans(article, spans_revision)
    holder = _place(article, start, end, None, by, "grown over the words an editor tagged")
    if source is not None:
        _retag(holder, source, by)
        _restate(holder, by, State.ATTRIBUTED)
    else:
        for attribution in holder.attributions.visible().filter(role=Role.SOURCE):
            _review(attribution, Status.REJECTED, by)
        _restate(holder, by, State.NEEDS_SOURCE)
    return holder


def _word_edges(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words (runs of letters and digits, with the punctuation that clings to them) of a span."""
    words = []
    position = start
    while position < end:
        while position < end and body[position].isspace():
            position += 1
        word_start = position
        while position < end and not body[position].isspace():
            position += 1
        if word_start < position:
            words.append((word_start, position))
    return words


@action
def resize(
    *, statement: Statement, edge: str, step: int, by, revision: int | None, spans_revision: int | None
) -> Statement:
    """Move one edge of a statement by a word: ``edge`` "start" or "end", ``step`` +1 to take
    in the next word outward, -1 to give back the outermost word. Words taken from a
    neighbour leave it (it keeps the rest); words given back become plain text."""
    if edge not in ("start", "end") or step not in (1, -1):
        raise ActionError("Move the start or the end by one word.")
    article = statement.article
    body = article.body
    _claim(statement, revision)
    statement.refresh_from_db(fields=["start", "end"])
    start, end = statement.start, statement.end
    own = _word_edges(body, start, end)
    if step == -1:
        if len(own) < 2:
            raise ActionError("A statement needs at least one word: merge it or mark it instead.")
        start, end = (own[1][0], end) if edge == "start" else (start, own[-2][1])
    else:
        try:
            p_start, p_end = paragraph_spans(body)[paragraph_of(body, start, end)]
        except (SpanError, IndexError):
            p_start, p_end = start, end
        if edge == "end":
            beyond = _word_edges(body, end, p_end)
            if not beyond:
                raise ActionError("The statement already reaches the end of its paragraph.")
            end = beyond[0][1]
        else:
            before = _word_edges(body, p_start, start)
            if not before:
                raise ActionError("The statement already starts its paragraph.")
            start = before[-1][0]
    _claim_spans(article, spans_revision)
    reason = f"{'widened' if step == 1 else 'narrowed'} at its {edge} by an editor"
    return _place(article, start, end, statement, by, reason)


@action
def split(
    *, statement: Statement, at: int, by, revision: int | None, spans_revision: int | None
) -> Statement:
    """Split a statement before the word at ``at``: the left part keeps the id, the right one
    becomes a statement with the same attributions and note. Returns the right part."""
    article = statement.article
    body = article.body
    _claim(statement, revision)
    statement.refresh_from_db(fields=["start", "end"])
    words = _word_edges(body, statement.start, statement.end)
    # The word ``at`` falls in (or the first one after it) starts the right part.
    index = next((i for i, (word_start, word_end) in enumerate(words) if at < word_end), None)
    if not index:  # None: past the last word; 0: the first word, nothing would be left of it
        raise ActionError("Choose a word after the statement's first word to split before.")
    cut = words[index][0]
    _claim_spans(article, spans_revision)
    left_start, left_end = trim(body, statement.start, cut)
    right_start, right_end = trim(body, cut, statement.end)
    _respan(
        statement, body, left_start, left_end, by, "split by an editor", span_origin=Statement.Origin.EDITOR
    )
    right = _split_off(statement, body, right_start, right_end, by)
    right.span_origin = Statement.Origin.EDITOR
    right.save(update_fields=["span_origin"])
    return right


#: Which of two attributions of one source and role a merge keeps: an editor's decision
#: (a confirmation above a rejection) over a suggestion; on a tie, the first statement's.
DECIDED = {Status.CONFIRMED: 2, Status.REJECTED: 1, Status.SUGGESTED: 0}


def claimed_sources(statement: Statement) -> set[int]:
    """The sources a statement's visible attributions claim it for."""
    return set(statement.attributions.visible().filter(role=Role.SOURCE).values_list("source_id", flat=True))


@action
def merge(
    *,
    statement: Statement,
    following: Statement,
    by,
    revision: int | None,
    following_revision: int | None,
    spans_revision: int | None,
    keep: Statement | None = None,
) -> Statement:
    """Merge a statement with the next one: one span from the first's start to the second's
    end, the first keeping its id; the second leaves a tombstone, its links and note move.

    When both have a claimed source and the sources differ, ``keep`` says whose attributions
    the merged statement keeps (the other's are removed, in history); otherwise both sets stay.
    """
    article = statement.article
    _claim(statement, revision)
    _claim(following, following_revision)
    statement.refresh_from_db()
    following.refresh_from_db()
    between = Statement.objects.filter(
        article=article, start__gte=statement.end, start__lt=following.start
    ).exists()
    if following.article_id != article.pk or following.start < statement.end or between:
        raise Conflict("These statements are no longer next to each other. This is how they stand now.")
    if following.paragraph != statement.paragraph:
        raise ActionError("A statement cannot run over two paragraphs: these two are in different ones.")
    ours, theirs = claimed_sources(statement), claimed_sources(following)
    if ours and theirs and ours != theirs:
        if keep is None or keep.pk not in (statement.pk, following.pk):
            raise ActionError("The two statements have different sources: choose whose to keep.")
        dropped = following if keep.pk == statement.pk else statement
        for attribution in Attribution.objects.filter(statement=dropped):
            attribution._history_user = by
            attribution.delete()
    _claim_spans(article, spans_revision)
    end = following.end
    for attribution in Attribution.objects.filter(statement=following):
        same = Attribution.objects.filter(
            statement=statement, source_id=attribution.source_id, role=attribution.role
        ).first()
        if same is not None and DECIDED[attribution.status] > DECIDED[same.status]:
            # The second statement's is the editors' decision (a confirmation, with its
            # reviewer): it stays, and the first's weaker copy goes.
            same._history_user = by
            same.delete()
            same = None
        confirmed_clash = (
            attribution.status == Status.CONFIRMED
            and Attribution.objects.filter(
                statement=statement, role=attribution.role, status=Status.CONFIRMED
            ).exists()
        )
        attribution._history_user = by
        if same is not None or confirmed_clash:
            attribution.delete()  # the first statement has it already
        else:
            _save(attribution, by, statement=statement)
    _rehome(following, statement, by)
    _respan(
        statement,
        article.body,
        statement.start,
        end,
        by,
        f"merged with statement #{following.pk}",
        span_origin=Statement.Origin.EDITOR,
    )
    _restate(statement, by)
    return statement


@action
def mark_words(
    *, statement: Statement, kind: str, start: int, end: int, by, revision: int | None
) -> Attribution:
    """Mark the words that name the statement's claimed source (``kind`` "mention") or that
    carry the attribution (``kind`` "cue"). Stored as offsets on the attribution; the engine
    never changes words an editor marked."""
    if kind not in ("mention", "cue"):
        raise ActionError("Mark the words as the speaker or as the cue.")
    start, end = _snapped(statement.article, start, end)
    _claim(statement, revision)
    claimed = (
        statement.attributions.visible()
        .filter(role=Role.SOURCE)
        .order_by("status", "-confidence", "pk")
        .first()
    )
    if claimed is None:
        raise ActionError("Set the statement's source first: the marked words belong to it.")
    words = statement.article.body[start:end]
    limit = 300 if kind == "mention" else 100
    if len(words) > limit:
        raise ActionError(
            f"Mark at most {limit} characters as the {'speaker' if kind == 'mention' else 'cue'}."
        )
    _save(
        claimed,
        by,
        **{kind: words, f"{kind}_start": start, f"{kind}_end": end, f"{kind}_by_editor": True},
    )
    return claimed


# The article's text ------------------------------------------------------------------------


@dataclass
class Reanchored:
    """What a corrected text did to an article's statements."""

    kept: int = 0  # the same words, maybe elsewhere
    edited: int = 0  # much the same sentence, edited
    lost: list[int] = field(default_factory=list)  # ids of statements that need a new span
    added: int = 0  # statements the engine found in new text


@action
def replace_text(
    *, article: Article, text: str, by, spans_revision: int | None, suggester=None
) -> Reanchored:
    """Replace an article's text with a corrected or updated version, keeping editors' work.

    Statements re-anchor to the new text by their words (see articles.spans.Reanchoring);
    those whose words are gone keep them as their text and wait for a new span (flagged for
    editors, nothing deleted). The marked speaker and cue words move with the text. The
    article's history keeps both texts; every statement's history shows its move. New text
    that no statement covers is given to the engine (``suggester``), which adds statements
    there as an import would.
    """
    body = normalise(text)
    if not body.strip():
        raise ActionError("The new text is empty: paste the article's corrected text.")
    digest = content_hash(body)
    if digest == article.content_hash:
        raise ActionError("The new text is the same as the article's text: nothing to correct.")
    twin = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).only("pk", "title").first()
    if twin is not None:
        raise ActionError(f"Article #{twin.pk} “{twin.title[:80]}” has exactly this text already.")
    _claim_spans(article, spans_revision)
    _keep_article_baseline(article)
    old = article.body
    statements = list(
        Statement.objects.select_for_update().filter(article=article).anchored().order_by("start")
    )
    mapping = Reanchoring(old, body)
    placed = mapping.spans([(s.pk, s.start, s.end) for s in statements])
    # Every statement's history shows it as it was before this correction.
    recorded = set(
        Statement.history.filter(id__in=[s.pk for s in statements]).values_list("id", flat=True).distinct()
    )
    baselines = [s for s in statements if s.pk not in recorded]
    for statement in baselines:
        statement._history_user = None
    suggested = (
        Attribution.objects.filter(statement__article=article)
        .exclude(method="editor")
        .aggregate(at=Max("created_at"))
    )
    Statement.history.bulk_history_create(
        baselines,
        default_change_reason="as imported",
        default_date=max(filter(None, [article.created_at, suggested["at"]])),
    )
    # Free every span, change the text, then place the statements again: no overlap at any moment.
    Statement.objects.filter(pk__in=[s.pk for s in statements]).update(
        start=None, end=None, revision=F("revision") + 1
    )
    article.body, article.content_hash, article.title = body, digest, title_from(body)[:300]
    article._history_user = by
    article._change_reason = "text corrected"
    article.save(update_fields=["body", "content_hash", "title"])
    report = Reanchored()
    changed = []
    for statement in statements:
        span = placed[statement.pk]
        before = statement.text
        if span is None:
            statement.start = statement.end = None
            statement._change_reason = "needs a new span: its words are not in the corrected text"
            report.lost.append(statement.pk)
        else:
            statement.start, statement.end = span
            statement.text = body[span[0] : span[1]]
            statement.paragraph = paragraph_of(body, *span)
            statement._change_reason = "re-anchored in the corrected text"
            if statement.text == before:
                report.kept += 1
            else:
                report.edited += 1
        statement._history_user = by
        changed.append(statement)
    bulk_update_with_history(
        changed, Statement, ["start", "end", "text", "paragraph"], default_user=by, default_change_reason=""
    )
    _move_marks(article, mapping, by)
    if suggester is not None:
        report.added = len(suggester.fill_gaps(article))
    return report


class TextRefused(ActionError, ValueError):
    """replace_text's refusal, as ``settings.ARTICLE_TEXT_REPLACER`` callers catch it."""


def replace_article_text(*, article: Article, text: str, by, suggester=None) -> Reanchored:
    """replace_text for callers outside this app (``import_articles --replace``): no spans
    revision to check, and a refusal raised as a ValueError they can catch."""
    try:
        return replace_text(article=article, text=text, by=by, spans_revision=None, suggester=suggester)
    except ActionError as exc:
        raise TextRefused(str(exc)) from exc


def _move_marks(article: Article, mapping: Reanchoring, by) -> None:
    """The speaker and cue words of the article's attributions follow their words."""
    moved = []
    for attribution in Attribution.objects.filter(statement__article=article).exclude(
        mention_start__isnull=True, cue_start__isnull=True
    ):
        for kind in ("mention", "cue"):
            start = getattr(attribution, f"{kind}_start")
            if start is None:
                continue
            span = mapping.words(start, getattr(attribution, f"{kind}_end"))
            setattr(attribution, f"{kind}_start", span[0] if span else None)
            setattr(attribution, f"{kind}_end", span[1] if span else None)
        attribution._history_user = by
        moved.append(attribution)
    if moved:
        bulk_update_with_history(
            moved,
            Attribution,
            ["mention_start", "mention_end", "cue_start", "cue_end"],
            default_user=by,
            default_change_reason="the article's text was corrected",
        )


@action
def reanchor(*, statement: Statement, start: int, end: int, by, spans_revision: int | None) -> Statement:
    """Give a statement that needs a new span (or any statement) the words an editor
    selected, splitting what they overlap as a tag does."""
    article = statement.article
    start, end = _snapped(article, start, end)
    _claim(statement, None)
    _claim_spans(article, spans_revision)
    return _place(article, start, end, statement, by, "placed on the words an editor selected")


@action
def withdraw(*, article: Article, note: str, by) -> Article:
    """Hide an article from readers, with a note they see where links still lead; kept, with
    its history, and restorable."""
    note = note.strip()
    if not note:
        raise ActionError("Say why the article is withdrawn: readers who follow a link see it.")
    if article.is_withdrawn:
        raise ActionError("The article is withdrawn already.")
    _keep_article_baseline(article)
    article._history_user = by
    article._change_reason = "withdrawn"
    article.withdrawn_at, article.withdrawn_by, article.withdrawal_note = timezone.now(), by, note[:2000]
    article.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    return article


@action
def restore(*, article: Article, by) -> Article:
    if not article.is_withdrawn:
        raise ActionError("The article is not withdrawn.")
    article._history_user = by
    article._change_reason = "restored"
    article.withdrawn_at, article.withdrawn_by = None, None
    article.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return article


@action
def bulk_confirm(*, article: Article, pairs: list[tuple[int, int]], by) -> tuple[int, int]:
    """Confirm the suggestions of ``pairs`` (attribution id, the statement revision the editor
    saw in the preview). A statement changed since, or a suggestion no longer open, is skipped:
    returns (confirmed, skipped)."""
    confirmed = skipped = 0
    for attribution_id, revision in pairs:
        attribution = (
            Attribution.objects.select_related("statement")
            .filter(pk=attribution_id, statement__article=article, status=Status.SUGGESTED)
            .first()
        )
        if attribution is None:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                confirm(
                    statement=attribution.statement, attribution_id=attribution_id, by=by, revision=revision
                )
        except ActionError:
            skipped += 1
        else:
            confirmed += 1
    return confirmed, skipped


# Undo and revert -------------------------------------------------------------------------------


@action
def undo(*, entry: EditorAction, by) -> EditorAction:
    """Put back what an editor's action changed, as an action of its own (in history, and in
    the journal). Refused when anyone changed those statements since: undoing then would undo
    their work too. One level: an undo is not undone."""
    if entry.user_id != by.pk:
        raise ActionError(
            "You can undo your own actions; revert another editor's from the statement's history."
        )
    if not entry.can_be_undone:
        raise ActionError("That action was undone already." if entry.undone_at else "An undo is not undone.")
    article = Article.objects.select_for_update().get(pk=entry.article_id)
    ids = sorted(
        {int(pk) for pk in entry.after["revisions"]} | {row["id"] for row in entry.before["statements"]}
    )
    list(Statement.objects.select_for_update().filter(pk__in=ids))
    try:
        journal.check_unchanged(entry)
    except journal.Stale:
        raise Conflict(
            "Since then someone changed these statements (or the statements of their paragraph): undoing "
            "now would undo their work too. Change them back by hand, or revert a version from the history."
        ) from None
    now = journal.snapshot(
        article, ids, paragraphs=entry.before["paragraphs"], with_text=bool(entry.before.get("text"))
    )
    journal.restore(entry.before, by=by, reason=f"undo: {entry.message}", remove=entry.after["created"])
    journal.unmake(entry, by=by, reason=f"undo: {entry.message}")
    undone = journal.record(
        by=by,
        kind="undo",
        message=f"Undone: {entry.message}",
        article=article,
        statement_id=entry.statement_id,
        before=now,
        whole=bool(entry.before.get("text")),
    )
    undone.undo_of = entry
    undone.save(update_fields=["undo_of"])
    journal.mark_undone(entry)
    return undone


VERSION_WORDS_GONE = (
    "The words of that version are no longer in the article's text (it was corrected since), "
    "so it cannot be restored. Place the statement on the words it should hold now instead."
)


def version_span(statement: Statement, record) -> tuple[int, int] | None:
    """Where the words of a historical version of ``statement`` lie in its article's text
    now, or None for a version that had no span (its words were waiting for one).

    A version's offsets point into the text as it was then: after a correction they may
    point at other words. They are used only where the text still holds the version's
    words; otherwise the words are looked for (the statement's own span first, then the
    occurrence nearest to where they were), and a version whose words are gone is refused.
    """
    if record.start is None or record.end is None:
        return None
    body = statement.article.body
    words = record.text
    if body[record.start : record.end] == words:
        return record.start, record.end
    if statement.start is not None and statement.text == words:
        return statement.start, statement.end
    found, at = [], body.find(words) if words else -1
    while at != -1:
        found.append(at)
        at = body.find(words, at + 1)
    if not found:
        raise Conflict(VERSION_WORDS_GONE)
    near = statement.start if statement.start is not None else record.start
    start = min(found, key=lambda at: abs(at - near))
    return start, start + len(words)


@action
def revert(
    *, statement: Statement, version_id: int, by, revision: int | None, at: datetime | None = None
) -> Statement:
    """Bring a statement back to an earlier version from its history: its span (splitting what
    overlaps it now), state, note, and its attributions as they were then.

    ``at`` names a later moment of the same version (a change of its attributions made after
    it, before the statement's next version): the attributions are taken as they were then.
    """
    record = Statement.history.filter(id=statement.pk, history_id=version_id).first()
    if record is None:
        raise ActionError("That version is not in this statement's history.")
    when = record.history_date
    if at is not None:
        later = Statement.history.filter(id=statement.pk, history_date__gt=when, history_date__lte=at)
        if at < when or later.exists():
            raise ActionError("That version is not in this statement's history.")
        when = at
    _claim(statement, revision)
    version_span(statement, record)  # refused before anything is written
    then = {a.id: a for a in Attribution.history.as_of(when).filter(statement_id=statement.pk)}
    # Suggestions nobody has changed have no history: as they are now, if they existed then.
    untouched = Attribution.objects.filter(statement=statement, created_at__lte=when).exclude(
        pk__in=Attribution.history.values("id")
    )
    rows = [
        {f.attname: getattr(a, f.attname) for f in Attribution._meta.concrete_fields}
        for a in [*then.values(), *untouched]
    ]
    reason = f"reverted to its version of {when:%Y-%m-%d %H:%M}"
    journal._restore_rows(Attribution, Attribution.objects.filter(statement=statement), rows, by, reason)
    statement.refresh_from_db()
    span = version_span(statement, record)
    if span is not None and span != (statement.start, statement.end):
        _claim_spans(statement.article, None)
        _place(statement.article, *span, statement, by, reason)
        statement.refresh_from_db()
    # The state follows from the attributions restored, with the version's decision.
    attributions = list(statement.attributions.all())
    state = state_for(record.state, attributions)
    fields = {"state": state, "reviewed": is_reviewed(state, attributions), "note": record.note}
    statement._change_reason = reason
    _save(
        statement, by, **{name: value for name, value in fields.items() if getattr(statement, name) != value}
    )
    return statement
