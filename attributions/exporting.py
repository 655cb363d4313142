"""Exports: who is claimed to have said what, one record per statement.

Three shapes of the same records: CSV, JSON Lines, and W3C Web Annotations (JSON-LD, each
statement an annotation on its article's text with a ``TextPositionSelector`` and a
``TextQuoteSelector``, the shape Hypothesis-style tools load).

A statement's claimed source and via are the confirmed attribution of each role when there is
one, otherwise the engine's suggestion (``status`` says which); rejected attributions are
left out. ``state`` is the statement's stored state (Statement.State); ``span_origin`` says
whether the engine or an editor drew its span.

Statements stream from the database as plain tuples through a server-side cursor; each chunk
of them then fetches its attributions, cross-references and any sources not seen yet (and, for
annotations, the chunk's article texts). Memory stays flat whatever the size of the export,
and no row carries its article's whole text along.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db.models import F, Q, QuerySet

from articles.models import Article, Statement
from attributions.models import Attribution, CrossReference, Source

FIELDS = [
    "article_id",
    "article_title",
    "statement_id",
    "ordinal",
    "start",
    "end",
    "text",
    "state",
    "reviewed",
    "span_origin",
    "frame",
    "note",
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
    "via_mention",
    "via_mention_start",
    "via_mention_end",
    "confidence",
    "method",
    "reviewed_by",
    "reviewed_at",
    "cross_references",
]
CHUNK = 2000
_FORMULA_START = frozenset("=+-@\t\r")
_STATEMENT_COLUMNS = (
    "pk",
    "article_id",
    "article__title",
    "start",
    "end",
    "text",
    "state",
    "reviewed",
    "span_origin",
    "is_frame",
    "note",
)
_ATTRIBUTION_COLUMNS = (
    "statement_id",
    "role",
    "status",
    "source_id",
    "mention",
    "mention_start",
    "mention_end",
    "cue",
    "cue_start",
    "cue_end",
    "confidence",
    "method",
    "reviewed_by__username",
    "reviewed_at",
)
_KIND_LABELS = dict(Source.Kind.choices)


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _pick(attributions: list[tuple], role: str) -> tuple | None:
    """The confirmed attribution of ``role``, else the likeliest suggestion (input is ordered
    by confidence)."""
    chosen = [a for a in attributions if a[1] == role]
    confirmed = [a for a in chosen if a[2] == Attribution.Status.CONFIRMED]
    return (confirmed or chosen or [None])[0]


class _Sources:
    """Names, kinds and countries of the sources an export meets, fetched once each."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[str, str, str, str]] = {}

    def fetch(self, ids: set[int]) -> None:
        missing = ids - self.known.keys()
        if missing:
            for pk, name, slug, kind, country in Source.objects.filter(pk__in=missing).values_list(
                "pk", "name", "slug", "kind", "country"
            ):
                self.known[pk] = (name, slug, _KIND_LABELS.get(kind, kind), country)


def _among(column: str, ids: list[int]) -> Q:
    """``column`` is one of a chunk's statement ids: as a range when the ids are dense (an
    article's statements have neighbouring ids; rows outside the chunk are ignored by the
    caller), else as a list. Either way the statements' own query is not repeated (it may
    hold thousands of article ids) and a range takes two parameters, not thousands."""
    low, high = min(ids), max(ids)
    if high - low < 4 * len(ids):
        return Q(**{f"{column}__gte": low, f"{column}__lte": high})
    return Q(**{f"{column}__in": ids})


def _cross_references(ids: list[int], *, public: bool) -> dict[int, list[dict]]:
    """The links of the chunk's statements ``ids``, in the order they were made; ``public``:
    only those readers see. One query per direction: each uses its own index, where an OR of
    the two scans the table."""
    links = CrossReference.objects.published() if public else CrossReference.objects.all()
    links = links.order_by("pk").values_list("pk", "from_statement_id", "to_statement_id", "relation")
    rows = set(links.filter(_among("from_statement_id", ids))) | set(
        links.filter(_among("to_statement_id", ids))
    )
    found: dict[int, list[dict]] = defaultdict(list)
    wanted = set(ids)
    for _, origin, target, relation in sorted(rows):
        if origin in wanted:
            found[origin].append({"relation": relation, "direction": "to", "statement_id": target})
        if target in wanted:
            found[target].append({"relation": relation, "direction": "from", "statement_id": origin})
    return found


def rows(
    statements: QuerySet[Statement], *, with_context: bool = False, public: bool = False
) -> Iterator[dict]:
    """One dict per statement (FIELDS order), in article and reading order.

    ``public`` leaves out who reviewed (readers' downloads, like the API, name no users) and
    links to statements readers do not see (of a withdrawn article).

    ``with_context`` adds ``exact``, ``prefix`` and ``suffix``: the span's words as they
    stand in the article's text and up to 32 characters either side (for quote selectors).
    """
    ordered = statements.order_by("article_id", F("start").asc(nulls_last=True), "pk").values_list(
        *_STATEMENT_COLUMNS
    )
    sources = _Sources()
    article_id, ordinal = None, 0
    for chunk in _chunks(ordered.iterator(chunk_size=CHUNK), CHUNK):
        ids = [row[0] for row in chunk]
        attributions: dict[int, list[tuple]] = defaultdict(list)
        for attribution in (
            Attribution.objects.visible()
            .filter(_among("statement_id", ids))
            .order_by("-confidence", "pk")
            .values_list(*_ATTRIBUTION_COLUMNS)
        ):
            attributions[attribution[0]].append(attribution)
        sources.fetch({a[3] for found in attributions.values() for a in found})
        links = _cross_references(ids, public=public)
        bodies = (
            dict(Article.objects.filter(pk__in={row[1] for row in chunk}).values_list("pk", "body"))
            if with_context
            else {}
        )
        for pk, article, title, start, end, text, state, reviewed, origin, frame, note in chunk:
            # The statement's place in its article, from 0 (rows come in reading order).
            ordinal = ordinal + 1 if article == article_id else 0
            article_id = article
            claimed = _pick(attributions[pk], Attribution.Role.SOURCE)
            via = _pick(attributions[pk], Attribution.Role.VIA)
            source = sources.known[claimed[3]] if claimed else None
            record = {
                "article_id": article,
                "article_title": title,
                "statement_id": pk,
                "ordinal": ordinal,
                "start": start,
                "end": end,
                "text": text,
                "state": state,
                "reviewed": reviewed,
                "span_origin": origin,
                "frame": frame,
                "note": note,
                "status": claimed[2] if claimed else "",
                "source": source[0] if source else "",
                "source_slug": source[1] if source else "",
                "source_kind": source[2] if source else "",
                "source_country": source[3] if source else "",
                "mention": claimed[4] if claimed else "",
                "mention_start": claimed[5] if claimed else None,
                "mention_end": claimed[6] if claimed else None,
                "cue": claimed[7] if claimed else "",
                "cue_start": claimed[8] if claimed else None,
                "cue_end": claimed[9] if claimed else None,
                "via": sources.known[via[3]][0] if via else "",
                "via_slug": sources.known[via[3]][1] if via else "",
                "via_mention": via[4] if via else "",
                "via_mention_start": via[5] if via else None,
                "via_mention_end": via[6] if via else None,
                "confidence": round(claimed[10], 3) if claimed else None,
                "method": claimed[11] if claimed else "",
                "reviewed_by": (claimed[12] or "") if claimed and not public else "",
                "reviewed_at": claimed[13].isoformat() if claimed and claimed[13] else "",
                "cross_references": links.get(pk, []),
            }
            if with_context and start is not None:
                body = bodies[article]
                record["exact"] = body[start:end]
                record["prefix"] = body[max(0, start - 32) : start]
                record["suffix"] = body[end : end + 32]
            yield record


# CSV and JSON Lines --------------------------------------------------------------------------


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, list):  # cross-references: "supports → 12; cites ← 40"
        value = "; ".join(
            f"{link['relation']} {'→' if link['direction'] == 'to' else '←'} {link['statement_id']}"
            for link in value
        )
    text = "" if value is None else value if value.__class__ is str else str(value)
    return "'" + text if text[:1] in _FORMULA_START else text


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


#: One encoder for every row (json.dumps with options builds a new one per call).
_JSON = json.JSONEncoder(ensure_ascii=False)


def as_jsonl(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield _JSON.encode({name: record[name] for name in FIELDS}) + "\n"


# W3C Web Annotations -------------------------------------------------------------------------

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_TYPE = f'application/ld+json; profile="{ANNOTATION_CONTEXT}"'
_STATE_LABELS = dict(Statement.State.choices)


def annotation(record: dict, url: Callable[[str], str]) -> dict:
    """One statement as a Web Annotation on its article's text.

    ``url`` turns a site path into an absolute URL (identifiers must be IRIs).
    """
    bodies: list[dict] = []
    if record["source"]:
        status = "confirmed by an editor" if record["status"] == "confirmed" else "suggested"
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "format": "text/plain",
                "value": f"Claimed source: {record['source']} ({status})",
            }
        )
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": url(f"/sources/{record['source_slug']}/"),
            }
        )
        bodies.append({"type": "TextualBody", "purpose": "tagging", "value": record["source"]})
    else:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "format": "text/plain",
                "value": _STATE_LABELS.get(record["state"], record["state"]),
            }
        )
    if record["via"]:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "format": "text/plain",
                "value": f"Via: {record['via']}",
            }
        )
    if record["note"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": record["note"]}
        )
    for link in record["cross_references"]:
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": url(f"/statements/{link['statement_id']}/"),
            }
        )
    return {
        "id": url(f"/statements/{record['statement_id']}/#annotation"),
        "type": "Annotation",
        "motivation": "identifying" if record["source"] else "describing",
        "body": bodies,
        "target": {
            "source": url(f"/articles/{record['article_id']}/"),
            "selector": [
                {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]},
                {
                    "type": "TextQuoteSelector",
                    "exact": record["exact"],
                    "prefix": record["prefix"],
                    "suffix": record["suffix"],
                },
            ],
        },
    }


def as_annotations(
    records: Iterable[dict], *, url: Callable[[str], str], collection: str, label: str
) -> Iterator[str]:
    """An ``AnnotationCollection`` with its one page of annotations, as JSON text in pieces.

    Statements waiting for a new span (no offsets) have nothing to anchor and are left out.
    """
    head = {
        "@context": ANNOTATION_CONTEXT,
        "id": url(collection),
        "type": "AnnotationCollection",
        "label": label,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "first": {"type": "AnnotationPage", "items": ['
    count = 0
    for record in records:
        if record["start"] is None:
            continue
        yield ("," if count else "") + _JSON.encode(annotation(record, url))
        count += 1
    yield f'], "startIndex": 0}}, "total": {count}}}\n'


# Formats by name: what a download is called (its extension) and its content type --------------

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "jsonld": ANNOTATION_TYPE}
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines", "jsonld": "Web Annotations"}


def export(
    statements: QuerySet[Statement],
    format: str,
    *,
    url: Callable[[str], str],
    collection: str = "/",
    label: str = "Statements and their claimed sources",
    public: bool = False,
) -> Iterator[str]:
    """The statements in ``format`` (a key of CONTENT_TYPES), as text in pieces to stream."""
    if format == "jsonld":
        records = rows(statements, with_context=True, public=public)
        return as_annotations(records, url=url, collection=collection, label=label)
    writer = as_csv if format == "csv" else as_jsonl
    return writer(rows(statements, public=public))
