"""The editors' journal: what each action changed, so that it can be undone or reverted.

Before an action, ``snapshot`` records the rows it may touch (its statements with their
attributions, links and tombstones; the article's text too when that changes) as they are;
after it, ``record`` keeps them with the revisions the action left. ``restore`` puts such a
record back, as an action of its own (attributions.actions.undo and revert call it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Statement, StatementTombstone
from attributions.models import Attribution, CrossReference, EditorAction, Source, SourceAlias

STATEMENT_FIELDS = [
    "id",
    "paragraph",
    "start",
    "end",
    "text",
    "state",
    "reviewed",
    "span_origin",
    "is_frame",
    "note",
]


def _fields(model, skip: tuple[str, ...] = ()) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in skip]


def scope(article: Article, *, statements=(), paragraphs=(), whole: bool = False) -> list[int]:
    """The ids of the statements an action may touch: those named, those of the paragraphs
    named (a span change stays within a paragraph), or all of the article's."""
    rows = Statement.objects.filter(article=article)
    if not whole:
        rows = rows.filter(Q(pk__in=list(statements)) | Q(paragraph__in=list(paragraphs)))
    return list(rows.select_for_update().values_list("pk", flat=True))


def snapshot(article: Article, ids: list[int], *, paragraphs=(), with_text: bool = False) -> dict:
    """The rows of ``ids`` as they are now (locked until the action commits); ``paragraphs``
    the paragraphs in the action's scope (a statement made there by the action is its own)."""
    statements = list(Statement.objects.filter(pk__in=ids).values(*STATEMENT_FIELDS))
    references = CrossReference.objects.filter(Q(from_statement_id__in=ids) | Q(to_statement_id__in=ids))
    return {
        "article": article.pk,
        "paragraphs": sorted(set(paragraphs)),
        "statements": statements,
        "attributions": list(Attribution.objects.filter(statement_id__in=ids).values(*_fields(Attribution))),
        "references": list(references.values(*_fields(CrossReference))),
        "tombstones": list(
            StatementTombstone.objects.filter(Q(statement_id__in=ids) | Q(pk__in=ids)).values(
                *_fields(StatementTombstone)
            )
        ),
        "text": (article.body, article.title, article.content_hash) if with_text else None,
    }


# Sources and aliases ---------------------------------------------------------------------------
#
# An action may make a source or an alias (or accept a proposed source) beside changing its
# statements. The actions tell the journal through ``made`` while a ``ledger`` is open (the
# editing views open one around each action), and an undo takes them back.

_ledger: ContextVar[dict | None] = ContextVar("journal_ledger", default=None)


@contextmanager
def ledger() -> Iterator[dict]:
    """Collect the sources and aliases the action run inside it makes or changes."""
    kept: dict = {"sources": [], "aliases": [], "changed_sources": []}
    token = _ledger.set(kept)
    try:
        yield kept
    finally:
        _ledger.reset(token)


def made(instance, *, before: dict | None = None) -> None:
    """``instance`` (a Source or SourceAlias) was just saved by an action: new, or a source
    changed from ``before`` (its row as it was)."""
    kept = _ledger.get()
    if kept is None:
        return
    if before is not None:
        if all(row["id"] != before["id"] for row in kept["changed_sources"]):
            kept["changed_sources"].append(before)
    elif isinstance(instance, Source):
        kept["sources"].append(instance.pk)
    elif isinstance(instance, SourceAlias):
        kept["aliases"].append(instance.pk)


def source_row(source: Source) -> dict:
    """A source's row as stored, for ``made(before=...)``."""
    return Source.objects.filter(pk=source.pk).values(*_fields(Source)).get()


def unmake(entry: EditorAction, *, by, reason: str) -> None:
    """Take back the aliases and sources ``entry``'s action made, and put back the sources it
    changed, with history. A source that is in use since (an attribution, a name added, a
    part of it) stays: removing it would lose that work."""
    after = entry.after
    aliases = after.get("aliases", [])
    made = Source.objects.filter(pk__in=after.get("sources", []))
    in_use = set(
        made.filter(
            Q(pk__in=Attribution.objects.values("source_id"))
            | Q(pk__in=SourceAlias.objects.exclude(pk__in=aliases).values("source_id"))
            | Q(pk__in=Source.objects.filter(parent__isnull=False).values("parent_id"))
        ).values_list("pk", flat=True)
    )
    # A source kept keeps the names it was made with.
    for alias in SourceAlias.objects.filter(pk__in=aliases).exclude(source_id__in=in_use):
        alias._history_user, alias._change_reason = by, reason[:100]
        alias.delete()
    for source in made.exclude(pk__in=in_use):
        source._history_user, source._change_reason = by, reason[:100]
        source.delete()
    if entry.before.get("changed_sources"):
        _restore_rows(
            Source,
            Source.objects.none(),
            entry.before["changed_sources"],
            by,
            reason,
        )


def record(
    *,
    by,
    kind: str,
    message: str,
    article: Article,
    statement_id: int | None,
    before: dict,
    whole: bool = False,
    made: dict | None = None,
) -> EditorAction:
    """Keep an action's ``before`` with the revisions it left its statements at, and what it
    ``made`` beside them (a ``ledger``)."""
    made = made or {}
    if made.get("changed_sources"):
        before = {**before, "changed_sources": made["changed_sources"]}
    ids = scope(
        article,
        statements=[s["id"] for s in before["statements"]],
        paragraphs=before["paragraphs"],
        whole=whole,
    )
    earlier = {s["id"] for s in before["statements"]}
    revisions = dict(Statement.objects.filter(pk__in=ids).values_list("pk", "revision"))
    article.refresh_from_db(fields=["spans_revision", "content_hash"])
    return EditorAction.objects.create(
        user=by,
        kind=kind,
        message=message[:300],
        article=article,
        statement_id=statement_id,
        before=before,
        after={
            "revisions": {str(pk): revision for pk, revision in revisions.items()},
            "created": sorted(set(ids) - earlier),
            "spans_revision": article.spans_revision,
            "whole": whole,
            "content_hash": article.content_hash,
            "sources": made.get("sources", []),
            "aliases": made.get("aliases", []),
        },
    )


class Stale(Exception):
    """The rows changed since the action: restoring them would undo someone's later work."""


def check_unchanged(entry: EditorAction) -> None:
    """Refuse (``Stale``) when anything the action touched changed since: its statements
    (their revisions), the statements of the paragraphs whose spans it changed (none added
    there), the article's text if it changed that. Changes elsewhere in the article (another
    statement's note, spans in another paragraph) do not stand in the way."""
    after = entry.after
    recorded = [int(pk) for pk in after["revisions"]]
    now = dict(Statement.objects.filter(pk__in=recorded).values_list("pk", "revision"))
    if {str(pk): revision for pk, revision in now.items()} != after["revisions"]:
        raise Stale
    whole = after.get("whole", bool(entry.before.get("text")))
    paragraphs = entry.before.get("paragraphs") or []
    if whole or paragraphs:
        newcomers = Statement.objects.filter(article_id=entry.article_id).exclude(pk__in=recorded)
        if not whole:
            newcomers = newcomers.filter(paragraph__in=paragraphs)
        if newcomers.exists():
            raise Stale
    if entry.before.get("text"):
        text = Article.objects.filter(pk=entry.article_id).values_list("content_hash", flat=True).first()
        if text != after.get("content_hash", text):
            raise Stale


def _typed(model, row: dict) -> dict:
    """A JSON row with its values as the model's fields take them (dates, decimals)."""
    out = {}
    for field in model._meta.concrete_fields:
        if field.attname in row:
            value = row[field.attname]
            out[field.attname] = field.to_python(value) if value is not None else None
    return out


def restore(before: dict, *, by, reason: str, remove: list[int] = ()) -> list[int]:
    """Put the rows of ``before`` back as they were; the statements in ``remove`` (made by the
    action) go. Every change is saved with history. Returns the restored statements' ids."""
    article = Article.objects.select_for_update().get(pk=before["article"])
    ids = [row["id"] for row in before["statements"]]
    for statement in Statement.objects.filter(pk__in=list(remove)):
        statement._history_user, statement._change_reason = by, reason[:100]
        statement.delete()  # its attributions go with it; links are restored below
    # Free every span first: the old spans are put back once nothing can overlap them.
    Statement.objects.filter(pk__in=ids).update(start=None, end=None)
    if before.get("text"):
        article.body, article.title, article.content_hash = before["text"]
        article._history_user, article._change_reason = by, reason[:100]
        article.save(update_fields=["body", "title", "content_hash"])
    existing = set(Statement.objects.filter(pk__in=ids).values_list("pk", flat=True))
    rows = sorted(before["statements"], key=lambda row: (row["start"] is None, row["start"] or 0))
    for row in rows:
        values = _typed(Statement, row)
        statement = Statement(article_id=article.pk, **values)
        statement._history_user, statement._change_reason = by, reason[:100]
        if row["id"] in existing:
            statement.revision = Statement.objects.values_list("revision", flat=True).get(pk=row["id"]) + 1
            statement.save(update_fields=[*(f for f in values if f != "id"), "revision"])
        else:
            statement.save(force_insert=True)  # its words had gone into another statement
    _restore_rows(
        Attribution, Attribution.objects.filter(statement_id__in=ids), before["attributions"], by, reason
    )
    links = CrossReference.objects.filter(Q(from_statement_id__in=ids) | Q(to_statement_id__in=ids))
    _restore_rows(CrossReference, links, before["references"], by, reason)
    StatementTombstone.objects.filter(Q(pk__in=ids) | Q(statement_id__in=ids)).delete()
    StatementTombstone.objects.bulk_create(
        [StatementTombstone(**_typed(StatementTombstone, row)) for row in before["tombstones"]],
        ignore_conflicts=True,
    )
    article.spans_revision += 1
    Article.objects.filter(pk=article.pk).update(spans_revision=article.spans_revision)
    return ids


def _restore_rows(model, current, rows: list[dict], by, reason: str) -> None:
    """Make ``current`` (a queryset) hold exactly ``rows``: extra ones go, changed ones are set
    back, missing ones come back with their ids; with history."""
    wanted = {row["id"]: row for row in rows}
    for instance in current.exclude(pk__in=list(wanted)):
        instance._history_user, instance._change_reason = by, reason[:100]
        instance.delete()
    present = {instance.pk: instance for instance in model.objects.filter(pk__in=list(wanted))}
    for pk, row in wanted.items():
        values = _typed(model, row)
        instance = present.get(pk)
        if instance is None:
            instance = model(**values)
            instance._history_user, instance._change_reason = by, reason[:100]
            instance.save(force_insert=True)
            continue
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance._history_user, instance._change_reason = by, reason[:100]
            instance.save(update_fields=changed)


def mark_undone(entry: EditorAction) -> None:
    entry.undone_at = timezone.now()
    entry.save(update_fields=["undone_at"])
