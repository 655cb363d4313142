"""A statement's change history, from django-simple-history's records, for readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from articles.models import Statement, StatementTombstone
from attributions.models import Attribution, CrossReference, Source

HISTORY_LIMIT = 100


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    version: int | None = None  # a version of the statement itself, which editors can restore
    at: datetime | None = None  # with ``version``: the moment, when a later change made it
    current: bool = False  # the version the statement is at now: nothing to restore
    why_not: str = ""  # why an entry cannot be restored, for editors


def _who(record) -> str:
    return record.history_user.get_username() if record.history_user_id else "the engine"


def _diffs(
    records, fields, describe, initial: dict | None = None, version_of=lambda record: None
) -> list[Change]:
    """Turn consecutive historical records of each object into before -> after changes."""
    out = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        reason = getattr(record, "history_change_reason", "") or ""
        why = f": {reason}" if reason else ""
        if record.history_type == "+":
            version = version_of(record)
            if reason not in ("as imported", "as suggested"):
                out.append(
                    Change(record.history_date, _who(record), f"Added {describe(record)}{why}", [], version)
                )
            elif version is not None:  # the statement as the import made it, kept before its first change
                out.append(
                    Change(record.history_date, "the engine", "The statement as imported", [], version)
                )
        elif record.history_type == "-":
            out.append(Change(record.history_date, _who(record), f"Removed {describe(record)}{why}"))
        else:
            changes = []
            for name, label, show in fields:
                if before is not None:
                    old = show(getattr(before, name))
                elif initial is not None and name in initial:
                    old = show(initial[name])
                else:
                    old = "(not recorded)"
                new = show(getattr(record, name))
                if old != new:
                    changes.append((label, old, new))
            if changes:
                what = _sentence_case(describe(record)) + why
                out.append(Change(record.history_date, _who(record), what, changes, version_of(record)))
        previous[record.id] = record
    return out


def _sentence_case(text: str) -> str:
    """Upper-case the first letter only: names inside keep their capitals."""
    return text[:1].upper() + text[1:]


def history_for(statement) -> list[Change]:
    """Every recorded change to the statement, its attributions and its links, newest first."""
    status = dict(Attribution.Status.choices)
    states = dict(Statement.State.choices)
    sources = {}
    # The statement's own records, and those of statements whose words it holds now.
    tombstoned = StatementTombstone.objects.filter(statement=statement).values_list("id", flat=True)
    statement_ids = [statement.pk, *tombstoned]

    def source_name(source_id) -> str:
        return sources.get(source_id, "a deleted source")

    attribution_records = list(
        Attribution.history.filter(statement_id__in=statement_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    source_ids = {r.source_id for r in attribution_records}
    sources.update(Source.objects.filter(pk__in=source_ids).values_list("pk", "name"))
    role_label = dict(Attribution.Role.choices)
    changes = []
    for own in (True, False):
        found = _diffs(
            [r for r in attribution_records if (r.statement_id == statement.pk) == own],
            [("status", "status", lambda v: status.get(v, v))],
            lambda r: f"{source_name(r.source_id)} as {role_label.get(r.role, r.role).lower()}",
            initial={"status": Attribution.Status.SUGGESTED},  # as the engine creates them
        )
        for change in found if not own else ():
            change.why_not = MERGED_IN
        changes += found
    engine_made = list(
        Attribution.objects.filter(statement_id=statement.pk)
        .exclude(method="editor")
        .select_related("source")
    )
    # The import records no history row; its state followed from the engine's suggestions.
    imported_state = (
        Statement.State.ATTRIBUTED
        if any(a.role == Attribution.Role.SOURCE for a in engine_made)
        else Statement.State.NO_SOURCE
    )
    for attribution in engine_made:
        role = role_label.get(attribution.role, attribution.role).lower()
        changes.append(
            Change(attribution.created_at, "the engine", f"Suggested {attribution.source.name} as {role}")
        )
    statement_records = (
        Statement.history.filter(id__in=statement_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for own in (True, False):
        found = _diffs(
            [r for r in statement_records if (r.id == statement.pk) == own],
            [
                ("text", "words", lambda v: v),
                ("state", "state", lambda v: states.get(v, v)),
                ("note", "note", lambda v: v or "(empty)"),
            ],
            lambda r: "statement" if r.id == statement.pk else f"statement #{r.id}",
            initial={"state": imported_state, "note": ""},  # statements edited before baselines were kept
            version_of=lambda r: r.history_id if r.id == statement.pk else None,
        )
        for change in found if not own else ():
            change.why_not = MERGED_IN
        changes += found
    relation = dict(CrossReference.Relation.choices)
    link_records = (
        CrossReference.history.filter(Q(from_statement_id=statement.pk) | Q(to_statement_id=statement.pk))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    links = _diffs(
        link_records,
        [("note", "note", lambda v: v or "(empty)")],
        lambda r: (
            f"link “{relation.get(r.relation, r.relation)}” between statements "
            f"#{r.from_statement_id} and #{r.to_statement_id}"
        ),
    )
    for change in links:
        change.why_not = LINKS_APART
    changes += links
    changes.sort(key=lambda c: c.when, reverse=True)
    _versions(changes, [(r.history_id, r.history_date) for r in statement_records if r.id == statement.pk])
    return changes[:HISTORY_LIMIT]


LINKS_APART = "Links are not part of a statement's versions: add or remove them above."
MERGED_IN = "A change of another statement, whose words this one holds now: not a version of this one."


def _versions(changes: list[Change], own: list[tuple[int, datetime]]) -> None:
    """Give every change (newest first) the version of the statement it left, so editors can
    restore any of them: a change of the statement itself is a version; after a change of its
    attributions the statement is its latest version (``own``: ids and dates, oldest first)
    before it, with its attributions as they were at that moment (``at``). Changes that are
    no version say why."""
    for change in changes:
        if change.why_not or change.version is not None:
            continue
        earlier = [history_id for history_id, date in own if date <= change.when]
        if earlier:
            change.version, change.at = earlier[-1], change.when
        elif own:  # the engine's suggestions, made as the statement was imported
            change.version = own[0][0]
        else:
            change.why_not = "No earlier version of the statement was recorded."
    for change in changes:
        if change.version is not None:
            change.current = True  # the newest: the statement as it is now
            break
