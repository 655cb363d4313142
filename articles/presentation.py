"""Turn an article body and its statements into paragraphs of pieces for the article page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class Piece:
    text: str
    statement: Any = None


def paragraphs(body: str, statements: Iterable[Any], skip_until: int = 0) -> list[list[Piece]]:
    """Split ``body`` into paragraphs; statement spans become pieces carrying their statement.

    Text before ``skip_until`` (the title line) is left out.
    """
    paras: list[list[Piece]] = [[]]

    def add_plain(chunk: str) -> None:
        for index, part in enumerate(PARAGRAPH_BREAK.split(chunk)):
            if index:
                paras.append([])
            if part.strip():
                paras[-1].append(Piece(part))
            elif part and paras[-1]:
                paras[-1].append(Piece(" "))

    position = skip_until
    for statement in sorted(statements, key=lambda s: s.start):
        if statement.end <= position:
            continue
        start = max(statement.start, position)
        add_plain(body[position:start])
        paras[-1].append(Piece(body[start : statement.end], statement))
        position = statement.end
    add_plain(body[position:])
    return [_trim(p) for p in paras if any(piece.text.strip() for piece in p)]


def _trim(pieces: Sequence[Piece]) -> list[Piece]:
    out = list(pieces)
    if out and out[0].statement is None:
        out[0] = Piece(out[0].text.lstrip())
    if out and out[-1].statement is None:
        out[-1] = Piece(out[-1].text.rstrip())
    return [p for p in out if p.text]
