"""Turn an article body and its statements into paragraphs of pieces for the article page.

Every piece is an exact slice of the body and knows where it starts, so the page can tell
the server which words an editor selected, whatever the browser does with whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from diff_match_patch import diff_match_patch

from articles.text import PARAGRAPH_BREAK


@dataclass
class Piece:
    text: str
    start: int
    statement: Any = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Paragraph:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def start(self) -> int:
        """Where the paragraph's text begins: its id on the page."""
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end

    def __iter__(self):
        return iter(self.pieces)


def paragraphs(
    body: str, statements: Iterable[Any], start: int = 0, end: int | None = None
) -> list[Paragraph]:
    """Split ``body[start:end]`` into paragraphs; statement spans become pieces carrying their
    statement. A statement is shown whole in the paragraph where it begins.

    Whitespace at the edges of each paragraph is left out; ``body[p.start:p.end]`` is always
    the text of the pieces, each piece an exact slice of the body.
    """
    end = len(body) if end is None else end
    paras: list[Paragraph] = [Paragraph()]

    def add_plain(plain_start: int, plain_end: int) -> None:
        position = plain_start
        for brk in PARAGRAPH_BREAK.finditer(body, plain_start, plain_end):
            if brk.start() > position:
                paras[-1].pieces.append(Piece(body[position : brk.start()], position))
            paras.append(Paragraph())
            position = brk.end()
        if plain_end > position:
            paras[-1].pieces.append(Piece(body[position:plain_end], position))

    position = start
    for statement in sorted(statements, key=lambda s: s.start):
        if statement.end <= position or statement.start >= end:
            continue
        statement_start = max(statement.start, position)
        add_plain(position, statement_start)
        paras[-1].pieces.append(Piece(body[statement_start : statement.end], statement_start, statement))
        position = statement.end
    add_plain(position, max(position, end))
    return [trimmed for p in paras if (trimmed := _trim(p))]


def _trim(paragraph: Paragraph) -> Paragraph | None:
    """Drop the whitespace at a paragraph's edges (offsets move with it)."""
    out = list(paragraph.pieces)
    while out and out[0].statement is None and not out[0].text.strip():
        out.pop(0)
    while out and out[-1].statement is None and not out[-1].text.strip():
        out.pop()
    if not out or not any(piece.text.strip() for piece in out):
        return None
    if out[0].statement is None:
        first = out[0]
        stripped = first.text.lstrip()
        out[0] = Piece(stripped, first.start + len(first.text) - len(stripped))
    if out[-1].statement is None:
        last = out[-1]
        out[-1] = Piece(last.text.rstrip(), last.start)
    return Paragraph(out)


TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
#: Private-use code points that stand for words while diffing (more words: character diff).
_STAND_INS = [*range(0xE000, 0xF900), *range(0xF0000, 0x10FFFE)]


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The changes from ``old`` to ``new``, word by word, as ("same" | "deleted" | "inserted",
    text) pieces (diff-match-patch over words, so a changed word shows whole)."""
    vocabulary: dict[str, str] = {}

    def encode(text: str) -> str | None:
        out = []
        for token in TOKENS.findall(text):
            if token not in vocabulary:
                if len(vocabulary) >= len(_STAND_INS):
                    return None
                vocabulary[token] = chr(_STAND_INS[len(vocabulary)])
            out.append(vocabulary[token])
        return "".join(out)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    encoded_old, encoded_new = encode(old), encode(new)
    if encoded_old is None or encoded_new is None:  # more distinct words than stand-ins
        diffs, decode = dmp.diff_main(old, new), None
    else:
        diffs = dmp.diff_main(encoded_old, encoded_new, False)
        decode = {char: token for token, char in vocabulary.items()}
    dmp.diff_cleanupSemantic(diffs)
    names = {0: "same", -1: "deleted", 1: "inserted"}
    if decode is None:
        return [(names[op], text) for op, text in diffs]
    return [(names[op], "".join(decode[char] for char in text)) for op, text in diffs]
