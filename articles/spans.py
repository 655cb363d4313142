"""Pure functions on statement spans: an editor's selection made into a span, and what is left
of existing statements around it. No Django; offsets are into the article's body."""

from __future__ import annotations

from articles.text import paragraph_spans


class SpanError(ValueError):
    """A selection that cannot become a statement; the message says why, for the editor."""


def _in_word(body: str, index: int) -> bool:
    return 0 <= index < len(body) and body[index].isalnum()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def trim(body: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` without the whitespace at either edge."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def snap(body: str, start: int, end: int) -> tuple[int, int]:
    """An editor's selection as a span of whole words, trimmed.

    A selection that cuts a word includes the whole word; whitespace at the edges goes.
    """
    if not 0 <= start < end <= len(body):
        raise SpanError("The selection is outside the article's text: select words in the article.")
    while _in_word(body, start - 1) and _in_word(body, start):
        start -= 1
    while _in_word(body, end - 1) and _in_word(body, end):
        end += 1
    start, end = trim(body, start, end)
    if not has_words(body[start:end]):
        raise SpanError("Select some words: the selection holds no letters or digits.")
    return start, end


def paragraph_of(body: str, start: int, end: int) -> int:
    """The number of the paragraph that holds the whole span (the engine's numbering)."""
    for index, (p_start, p_end) in enumerate(paragraph_spans(body)):
        if p_start <= start and end <= p_end:
            return index
    raise SpanError("A statement cannot run over two paragraphs: select words within one paragraph.")


def outside(body: str, start: int, end: int, cut_start: int, cut_end: int) -> list[tuple[int, int]]:
    """What is left of the span ``start, end`` around the cut, left part first, trimmed.

    A part with no letters or digits (a lone full stop, a closing quote) is left out: it
    stays plain text of the article rather than becoming a statement of its own.
    """
    parts = []
    for part_start, part_end in ((start, min(end, cut_start)), (max(start, cut_end), end)):
        if part_start < part_end:
            part_start, part_end = trim(body, part_start, part_end)
            if has_words(body[part_start:part_end]):
                parts.append((part_start, part_end))
    return parts
