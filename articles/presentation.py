"""Turn an article body and its statements into paragraphs of pieces for the article page.

Every piece is an exact slice of the body and knows where it starts, so the page can tell
the server which words an editor selected, whatever the browser does with whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Piece:
    text: str
    start: int
    statement: Any = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def paragraphs(body: str, statements: Iterable[Any], skip_until: int = 0) -> list[list[Piece]]:
    """Split ``body`` into paragraphs; statement spans become pieces carrying their statement.

    Text before ``skip_until`` (the title line) is left out; so is the whitespace at the
    edges of each paragraph. ``body[piece.start:piece.end] == piece.text`` for every piece.
    """
    paras: list[list[Piece]] = [[]]

    def add_plain(start: int, end: int) -> None:
        position = start
        for brk in PARAGRAPH_BREAK.finditer(body, start, end):
            if brk.start() > position:
                paras[-1].append(Piece(body[position : brk.start()], position))
            paras.append([])
            position = brk.end()
        if end > position:
            paras[-1].append(Piece(body[position:end], position))

    position = skip_until
    for statement in sorted(statements, key=lambda s: s.start):
        if statement.end <= position:
            continue
        start = max(statement.start, position)
        add_plain(position, start)
        paras[-1].append(Piece(body[start : statement.end], start, statement))
        position = statement.end
    add_plain(position, len(body))
    return [trimmed for p in paras if (trimmed := _trim(p))]


def _trim(pieces: list[Piece]) -> list[Piece]:
    """Drop the whitespace at a paragraph's edges (offsets move with it)."""
    out = list(pieces)
    while out and out[0].statement is None and not out[0].text.strip():
        out.pop(0)
    while out and out[-1].statement is None and not out[-1].text.strip():
        out.pop()
    if not out or not any(piece.text.strip() for piece in out):
        return []
    if out[0].statement is None:
        first = out[0]
        stripped = first.text.lstrip()
        out[0] = Piece(stripped, first.start + len(first.text) - len(stripped))
    if out[-1].statement is None:
        last = out[-1]
        out[-1] = Piece(last.text.rstrip(), last.start)
    return out
