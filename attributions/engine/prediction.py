"""Statement results as the evaluation's prediction record (see score_statements.py)."""

from __future__ import annotations

from .extractor import Mention, StatementResult


def _mention(mention: Mention | None) -> dict | None:
    if mention is None:
        return None
    name = mention.name if mention.key else mention.text
    return {"name": name, "start": mention.start, "end": mention.end}


def to_prediction(doc_id: str, text: str, results: list[StatementResult]) -> dict:
    """One JSONL record: {"doc_id", "statements": [{start, end, source, via, cue, confidence}]}.

    ``name`` is the registry name when the mention resolved, else the mention text;
    ``start``/``end`` are the mention's offsets in ``text``.
    """
    statements = []
    for result in results:
        suggestion = result.suggestion
        if suggestion is None:
            statements.append(
                {
                    "start": result.start,
                    "end": result.end,
                    "source": None,
                    "via": None,
                    "cue": None,
                    "confidence": 0.0,
                }
            )
            continue
        statements.append(
            {
                "start": result.start,
                "end": result.end,
                "source": _mention(suggestion.source),
                "via": _mention(suggestion.via),
                "cue": {
                    "text": text[suggestion.cue_start : suggestion.cue_end],
                    "start": suggestion.cue_start,
                    "end": suggestion.cue_end,
                },
                "confidence": suggestion.confidence,
            }
        )
    return {"doc_id": doc_id, "statements": statements}
