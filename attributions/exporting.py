"""Exports: who is claimed to have said what, as CSV or JSON Lines, one row per statement.

A statement's claimed source and via are the confirmed attribution of each role when there is
one, otherwise the engine's suggestion (``status`` says which); rejected attributions are
left out. ``state`` is the statement's stored state (Statement.State).

Rows stream from the database in chunks, so an export of a million statements
needs no more memory than one of a hundred.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from articles.models import Statement
from attributions.models import Attribution

FIELDS = [
    "article_id",
    "article_title",
    "statement_id",
    "ordinal",
    "start",
    "end",
    "text",
    "state",
    "frame",
    "status",
    "source",
    "source_kind",
    "source_country",
    "mention",
    "mention_start",
    "mention_end",
    "cue",
    "cue_start",
    "cue_end",
    "via",
    "confidence",
    "method",
    "reviewed_by",
    "reviewed_at",
]
CHUNK = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _pick(attributions: list[Attribution], role: str) -> Attribution | None:
    chosen = [a for a in attributions if a.role == role]
    confirmed = [a for a in chosen if a.status == Attribution.Status.CONFIRMED]
    return (confirmed or chosen or [None])[0]


def rows(statements: QuerySet[Statement]) -> Iterator[dict]:
    """One dict per statement (FIELDS order), in article and reading order."""
    kept = Attribution.objects.exclude(status=Attribution.Status.REJECTED).select_related(
        "source", "reviewed_by"
    )
    queryset = (
        statements.select_related("article")
        .prefetch_related(Prefetch("attributions", queryset=kept.order_by("-confidence", "pk")))
        .order_by("article_id", "start")
    )
    article_id, ordinal = None, 0
    for statement in queryset.iterator(chunk_size=CHUNK):
        # The statement's place in its article, from 0 (rows come in reading order).
        ordinal = ordinal + 1 if statement.article_id == article_id else 0
        article_id = statement.article_id
        attributions = list(statement.attributions.all())
        claimed = _pick(attributions, Attribution.Role.SOURCE)
        via = _pick(attributions, Attribution.Role.VIA)
        yield {
            "article_id": statement.article_id,
            "article_title": statement.article.title,
            "statement_id": statement.pk,
            "ordinal": ordinal,
            "start": statement.start,
            "end": statement.end,
            "text": statement.text,
            "state": statement.state,
            "frame": statement.is_frame,
            "status": claimed.status if claimed else "",
            "source": claimed.source.name if claimed else "",
            "source_kind": claimed.source.get_kind_display() if claimed else "",
            "source_country": claimed.source.country if claimed else "",
            "mention": claimed.mention if claimed else "",
            "mention_start": claimed.mention_start if claimed else None,
            "mention_end": claimed.mention_end if claimed else None,
            "cue": claimed.cue if claimed else "",
            "cue_start": claimed.cue_start if claimed else None,
            "cue_end": claimed.cue_end if claimed else None,
            "via": via.source.name if via else "",
            "confidence": round(claimed.confidence, 3) if claimed else None,
            "method": claimed.method if claimed else "",
            "reviewed_by": claimed.reviewed_by.get_username() if claimed and claimed.reviewed_by else "",
            "reviewed_at": claimed.reviewed_at.isoformat() if claimed and claimed.reviewed_at else "",
        }


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def as_csv(records: Iterable[dict]) -> Iterator[str]:
    """CSV text in pieces (a header, then one line per record)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow([_cell(record[name]) for name in FIELDS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_jsonl(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


FORMATS = {"csv": (as_csv, "text/csv"), "jsonl": (as_jsonl, "application/x-ndjson")}
