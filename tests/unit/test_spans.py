"""An editor's selection made into a span, and what is left of statements around it."""

from __future__ import annotations

import pytest

from articles.presentation import paragraphs
from articles.spans import SpanError, outside, paragraph_of, snap

BODY = "Title line\n\nAna Ruiz said the port, she added, would close.  Berg agreed.\n\nNext “one” here."


def at(words: str) -> tuple[int, int]:
    start = BODY.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(
    "selected, expected",
    [
        ("the port", "the port"),  # whole words already
        ("he por", "the port"),  # cut words are made whole
        (" the port, ", "the port,"),  # edges trimmed, punctuation kept
        ("na Ruiz sai", "Ana Ruiz said"),
        ("“one", "“one"),
    ],
)
def test_snap_makes_whole_words(selected, expected):
    start, end = snap(BODY, *at(selected))
    assert BODY[start:end] == expected


@pytest.mark.parametrize(
    "span, message",
    [
        ((5, 5), "outside"),
        ((9, 3), "outside"),
        ((-1, 4), "outside"),
        ((0, len(BODY) + 1), "outside"),
        (at("  "), "no letters"),
        (at(", "), "no letters"),
    ],
)
def test_snap_refuses_what_is_no_selection_of_words(span, message):
    with pytest.raises(SpanError, match=message):
        snap(BODY, *span)


def test_paragraph_of_numbers_paragraphs_like_the_engine_and_refuses_crossing():
    assert paragraph_of(BODY, *at("Title")) == 0
    assert paragraph_of(BODY, *at("Berg agreed.")) == 1
    assert paragraph_of(BODY, *at("Next")) == 2
    with pytest.raises(SpanError, match="two paragraphs"):
        paragraph_of(BODY, BODY.index("Berg"), BODY.index("Next") + 4)


def test_outside_keeps_the_words_left_and_right_and_drops_lone_punctuation():
    sentence = at("Ana Ruiz said the port, she added, would close.")
    parts = outside(BODY, *sentence, *at("she added,"))
    assert [BODY[s:e] for s, e in parts] == ["Ana Ruiz said the port,", "would close."]
    assert outside(BODY, *sentence, *at("Ana Ruiz said the port, she added, would close")) == []  # "." alone
    assert outside(BODY, *at("the port"), *at("Ana Ruiz said the port, she")) == []


class S:  # a statement as paragraphs() needs it
    def __init__(self, words: str) -> None:
        self.start, self.end = at(words)


def test_every_piece_is_an_exact_slice_of_the_body_with_astral_characters():
    body = "T\n\nA 🙂 said 𝔸 one.  B said two.\n\n  C said three.  "
    statements = [S.__new__(S) for _ in range(2)]
    statements[0].start, statements[0].end = body.index("B said"), body.index("two.") + 4
    statements[1].start, statements[1].end = body.index("C said"), body.index("three.") + 6
    found = paragraphs(body, statements, start=1)
    assert [p.start for p in found] == [body.index("A 🙂"), body.index("C said")]
    for paragraph in found:
        for piece in paragraph:
            assert body[piece.start : piece.end] == piece.text
    assert [piece.text for piece in found[0]] == ["A 🙂 said 𝔸 one.  ", "B said two."]


def test_text_diff_shows_changed_words_whole():
    from articles.presentation import text_diff

    old = "The union said the ferries would stop at noon. Passengers waited."
    new = "The union said the ferries would stop at one o'clock. Passengers waited here."
    assert text_diff(old, new) == [
        ("same", "The union said the ferries would stop at "),
        ("deleted", "noon"),
        ("inserted", "one o'clock"),
        ("same", ". Passengers waited"),
        ("inserted", " here"),
        ("same", "."),
    ]
    assert "".join(t for kind, t in text_diff(old, new) if kind != "deleted") == new
