"""Every editor write: atomic, keyword-only, the acting user passed in, recorded in history.

Each action that changes a statement's attributions takes the statement ``revision`` the
editor was looking at. If another editor changed the statement since, the action raises
``Conflict`` and writes nothing, so nobody silently overwrites anybody.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Statement
from attributions.engine import normalise_alias
from attributions.models import Attribution, CrossReference, Source, SourceAlias

Status = Attribution.Status
Role = Attribution.Role


class ActionError(Exception):
    """A request an editor can fix: the message says what was wrong."""


class Conflict(ActionError):
    """The statement changed since the editor loaded it."""


CONFLICT_MESSAGE = (
    "Another editor changed this statement while you were looking at it. "
    "This is how it stands now: check it and try again."
)


def _claim(statement: Statement, revision: int | None) -> None:
    """Bump the statement's revision, or fail if it is not the one the editor saw."""
    rows = Statement.objects.filter(pk=statement.pk)
    if revision is not None:
        rows = rows.filter(revision=revision)
    if not rows.update(revision=F("revision") + 1):
        raise Conflict(CONFLICT_MESSAGE)
    statement.revision = Statement.objects.values_list("revision", flat=True).get(pk=statement.pk)


def _save(instance, by, **fields) -> None:
    """Set ``fields`` and save only those, so a concurrent change to another field stands."""
    adding = instance._state.adding
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = by
    instance.save(update_fields=None if adding else list(fields))


def _review(attribution: Attribution, status: str, by) -> None:
    if attribution.status != status:
        _save(attribution, by, status=status, reviewed_by=by, reviewed_at=timezone.now())


def _reject_others(statement: Statement, role: str, keep: Source | None, by) -> None:
    others = statement.attributions.visible().filter(role=role)
    if keep is not None:
        others = others.exclude(source=keep)
    for other in others:
        _review(other, Status.REJECTED, by)


def _set_own_claim(statement: Statement, value: bool, by) -> None:
    if statement.is_own_claim != value:
        _save(statement, by, is_own_claim=value)


@transaction.atomic
def confirm(*, attribution: Attribution, by, revision: int | None) -> Attribution:
    """Confirm a suggestion; for a claimed source, competing suggestions are rejected."""
    statement = attribution.statement
    _claim(statement, revision)
    attribution.refresh_from_db()
    # One confirmed source and one via per statement: the others go first.
    _reject_others(statement, attribution.role, attribution.source, by)
    _review(attribution, Status.CONFIRMED, by)
    if attribution.role == Role.SOURCE:
        _set_own_claim(statement, False, by)
    return attribution


@transaction.atomic
def reject(*, attribution: Attribution, by, revision: int | None) -> Attribution:
    _claim(attribution.statement, revision)
    attribution.refresh_from_db()
    _review(attribution, Status.REJECTED, by)
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


@transaction.atomic
def set_source(
    *, statement: Statement, source: Source, by, revision: int | None, mention: str = ""
) -> Attribution:
    """Make ``source`` the statement's confirmed claimed source (retag)."""
    _claim(statement, revision)
    _reject_others(statement, Role.SOURCE, source, by)
    attribution = _confirmed_link(statement, source, Role.SOURCE, by, mention)
    via = statement.attributions.visible().filter(role=Role.VIA, source=source)
    for same in via:  # a source is not its own conduit
        _review(same, Status.REJECTED, by)
    _set_own_claim(statement, False, by)
    return attribution


@transaction.atomic
def set_via(*, statement: Statement, source: Source | None, by, revision: int | None) -> Attribution | None:
    """Set the outlet the statement came via, or clear it with ``source=None``."""
    _claim(statement, revision)
    _reject_others(statement, Role.VIA, source, by)
    if source is None:
        return None
    return _confirmed_link(statement, source, Role.VIA, by)


@transaction.atomic
def mark_own_claim(*, statement: Statement, by, revision: int | None) -> Statement:
    """The statement is the article's own claim: every attribution of it is rejected."""
    _claim(statement, revision)
    for attribution in statement.attributions.visible():
        _review(attribution, Status.REJECTED, by)
    _set_own_claim(statement, True, by)
    return statement


@transaction.atomic
def set_note(*, statement: Statement, note: str, by, revision: int | None) -> Statement:
    _claim(statement, revision)
    _save(statement, by, note=note.strip()[:5000])
    return statement


@transaction.atomic
def create_source(*, name: str, kind: str, country: str, by) -> Source:
    """A new source an editor names from the text, with its name as the first alias.

    If the engine already proposed a source by that name, that one is accepted (it keeps its
    statements) instead of a second source with the same name being made.
    """
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
    return source


@transaction.atomic
def add_alias(*, source: Source, text: str, by) -> SourceAlias:
    """Save the words a text uses for ``source``, so the next import suggests it."""
    text = " ".join(text.split())
    key = normalise_alias(text)
    if not key:
        raise ActionError("Type the words the text uses for the source.")
    if len(text) > 200:
        raise ActionError("An alias can be 200 characters at most.")
    existing = SourceAlias.objects.filter(normalised=key).select_related("source").first()
    if existing:
        if existing.source_id == source.pk:
            return existing
        raise ActionError(f"“{text}” already names {existing.source.name}.")
    alias = SourceAlias(source=source, created_by=by)
    _save(alias, by, text=text)
    return alias


@transaction.atomic
def link(
    *, from_statement: Statement, to_statement: Statement, relation: str, note: str, by
) -> CrossReference:
    if from_statement.pk == to_statement.pk:
        raise ActionError("A statement cannot be linked to itself.")
    if relation not in CrossReference.Relation.values:
        raise ActionError("Choose how the statements relate.")
    if CrossReference.objects.filter(
        from_statement=from_statement, to_statement=to_statement, relation=relation
    ).exists():
        raise ActionError("These statements are already linked that way.")
    reference = CrossReference(
        from_statement=from_statement, to_statement=to_statement, relation=relation, created_by=by
    )
    _save(reference, by, note=note.strip()[:2000])
    return reference


@transaction.atomic
def unlink(*, reference: CrossReference, by) -> None:
    reference._history_user = by
    reference.delete()
