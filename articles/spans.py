"""Pure functions on statement spans: an editor's selection made into a span, and what is left
of existing statements around it. No Django; offsets are into the article's body."""

from __future__ import annotations

import difflib

from diff_match_patch import diff_match_patch

from articles.text import paragraph_spans

#: How alike a sentence and the words the diff maps it to must be to count as the same
#: sentence, edited (difflib's ratio: 1 is the same text).
SAME_SENTENCE = 0.6
#: Occurrences of a sentence looked at when it is searched for in a new text.
MAX_OCCURRENCES = 50


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


class Reanchoring:
    """Where the words of an article's old text lie in its new text (diff-match-patch)."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self.dmp = diff_match_patch()
        self.dmp.Diff_Timeout = 2.0
        self.diffs = self.dmp.diff_main(old, new)
        self.dmp.diff_cleanupSemantic(self.diffs)

    def guess(self, offset: int) -> int:
        """Where the diff puts an offset of the old text in the new one."""
        return self.dmp.diff_xIndex(self.diffs, offset)

    def occurrences(self, text: str) -> list[int]:
        found, at = [], self.new.find(text)
        while at != -1 and len(found) < MAX_OCCURRENCES:
            found.append(at)
            at = self.new.find(text, at + 1)
        return found

    def words(self, start: int, end: int) -> tuple[int, int] | None:
        """The same words (a mention, a cue) in the new text: the occurrence nearest to where
        the diff puts them, or None."""
        text = self.old[start:end]
        guess = self.guess(start)
        found = sorted(self.occurrences(text), key=lambda o: abs(o - guess))
        return (found[0], found[0] + len(text)) if found and text else None

    def spans(self, spans: list[tuple[int, int, int]]) -> dict[int, tuple[int, int] | None]:
        """Where each span (``key, start, end``) lies in the new text, or None if its words are
        gone. A span whose text occurs in the new text takes the occurrence nearest to where the
        diff puts it (moved or unchanged sentences); otherwise the words the diff maps it to,
        when they are still much the same sentence within one paragraph (edited ones). No two
        results overlap: the later span of a clash is left without one.
        """
        placed: dict[int, tuple[int, int] | None] = {}
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for key, start, end in sorted(spans, key=lambda span: span[1]):
            text = self.old[start:end]
            guess = self.guess(start)
            occurrences = self.occurrences(text)
            found = next(
                (
                    (at, at + len(text))
                    for at in sorted(occurrences, key=lambda o: abs(o - guess))
                    if free(at, at + len(text))
                ),
                None,
            )
            if found is None and not occurrences:
                found = self._edited(text, guess, self.guess(end))
                if found is not None and not free(*found):
                    found = None
            placed[key] = found
            if found is not None:
                taken.append(found)
        return placed

    def _edited(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        start, end = trim(self.new, start, max(start, end))
        words = self.new[start:end]
        if not has_words(words):
            return None
        if difflib.SequenceMatcher(None, text, words, autojunk=False).ratio() < SAME_SENTENCE:
            return None
        try:
            paragraph_of(self.new, start, end)
        except SpanError:
            return None
        return start, end
