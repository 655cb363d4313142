"""articles.text: decoding, normalising and sentence splitting (no Django)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from articles.text import (
    DecodeError,
    EncodingUncertain,
    Segment,
    decode_bytes,
    normalise,
    split_sentences,
    title_from,
)

SAMPLE = Path(__file__).resolve().parents[2] / "articles" / "fixtures" / "raqqa-coalition.txt"
PHRASE = "café “quoted” — dash"


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


# --------------------------------------------------------------------------- decoding


def test_decode_utf8():
    assert decode_bytes(PHRASE.encode("utf-8")) == PHRASE


def test_decode_utf8_with_bom():
    assert decode_bytes(codecs.BOM_UTF8 + PHRASE.encode("utf-8")) == PHRASE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    assert decode_bytes(bom + PHRASE.encode(encoding)) == PHRASE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom(encoding):
    text = "The minister said the talks would resume on Monday."
    assert decode_bytes(text.encode(encoding)) == text


def test_decode_cp1252():
    assert decode_bytes(PHRASE.encode("cp1252")) == PHRASE


def test_decode_a_lone_byte_no_encoding_explains_is_refused_naming_the_best_guess():
    with pytest.raises(EncodingUncertain, match=r"best guess: \w") as caught:
        decode_bytes(b"abc \x81 def")
    assert caught.value.guess


def test_decode_refuses_empty():
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"")


def test_decode_refuses_whitespace_only():
    with pytest.raises(DecodeError, match="whitespace"):
        decode_bytes(b" \n\t \r\n")


def test_decode_refuses_binary_with_nul_bytes():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"GIF-like\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 4)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)), "a PNG image"),  # no NUL byte to give it away
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00word/document.xml", "Office document"),
        (b"{\\rtf1\\ansi Hello}", "an RTF document"),
    ],
)
def test_decode_names_common_non_text_formats(data, what):
    with pytest.raises(DecodeError, match=what):
        decode_bytes(data)


def test_decode_refuses_control_characters():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(1, 9)) * 50 + b"some text")


def test_decode_error_is_a_value_error():
    assert issubclass(DecodeError, ValueError)


# --------------------------------------------------------------------------- normalise


def test_normalise_newlines_spaces_and_blank_lines():
    raw = "\ufeffTitle  \r\n\r\n\r\n\r\nFirst\u00a0line.\u200b \rSecond line.\n\n\n"
    assert normalise(raw) == "Title\n\nFirst line.\nSecond line."


def test_normalise_nfc_and_keeps_curly_quotes():
    assert normalise("cafe\u0301 “x” ‘y’") == "café “x” ‘y’"


def test_title_from_first_non_empty_line():
    assert title_from("\n\n  A headline  \nbody") == "A headline"
    assert len(title_from("x" * 500)) == 300


# --------------------------------------------------------------------------- sentences


def test_segments_are_frozen_dataclasses():
    seg = split_sentences("Title\n\nOne. Two.")[0]
    assert isinstance(seg, Segment)
    with pytest.raises(AttributeError):
        seg.start = 3  # type: ignore[misc]


def test_title_paragraph_and_paragraph_numbers():
    text = "A title line\n\nFirst sentence here. Second one.\n\nThird paragraph."
    segs = split_sentences(text)
    assert [(text[s.start : s.end], s.paragraph) for s in segs] == [
        ("A title line", 0),
        ("First sentence here.", 1),
        ("Second one.", 1),
        ("Third paragraph.", 2),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. Army and the U.N. envoy met on Dec. 19 in Geneva.",
        "Mr. Jones and Dr. Patel spoke to Gen. Ortiz and Sen. Lowe.",
        "Rep. Alvarez lives on St. Mark's Place since Jan. 4, not Sept. 30.",
        "The rule No. 5 applies, e.g. to tenants, i.e. most people.",
        "J. Smith wrote the report with R. K. Rao.",
        "Prices rose 3.5 percent in the year.",
    ],
)
def test_abbreviations_do_not_split(sentence):
    text = f"Title\n\n{sentence} Then a second sentence follows."
    assert sentences(text)[1:] == [sentence, "Then a second sentence follows."]


def test_dotted_acronym_at_sentence_end_splits_before_a_sentence_starter():
    text = "Title\n\nThe envoy flew to the U.S. The talks start today."
    assert sentences(text)[1:] == ["The envoy flew to the U.S.", "The talks start today."]


def test_multi_sentence_quote_stays_one_segment():
    text = "Title\n\nShe said: “We will stay. We will not leave. Never.” The crowd cheered."
    assert sentences(text)[1:] == [
        "She said: “We will stay. We will not leave. Never.”",
        "The crowd cheered.",
    ]


def test_multi_sentence_straight_quote_stays_one_segment():
    text = 'Title\n\n"It was cold. It was dark," the guard said. He left.'
    assert sentences(text)[1:] == ['"It was cold. It was dark," the guard said.', "He left."]


def test_unclosed_quote_never_passes_its_paragraph():
    text = "Title\n\nHe said “this never ends. At all.\n\nNext paragraph here. Second."
    assert sentences(text)[1:] == ["He said “this never ends. At all.", "Next paragraph here.", "Second."]


def test_question_and_exclamation_marks_split():
    assert sentences("Title\n\nWho knew? Nobody did! Fine.")[1:] == ["Who knew?", "Nobody did!", "Fine."]


def test_offsets_slice_back_exactly_on_the_sample_article():
    text = normalise(SAMPLE.read_text(encoding="utf-8"))
    segs = split_sentences(text)
    assert len(segs) == 16
    for seg in segs:
        piece = text[seg.start : seg.end]
        assert piece == piece.strip() and piece
    assert text[segs[0].start : segs[0].end].startswith("Attention to Military Crimes")
    quoted = [text[s.start : s.end] for s in segs if "Raqqa has not been cleared" in text[s.start : s.end]]
    assert quoted == [quoted[0]] and quoted[0].endswith("children.”")


def test_offsets_slice_back_on_raw_text_with_odd_spacing():
    text = "  Head\n\n   One sentence.   Two  sentences!\n  Three?  \n\n\n Four. "
    for seg in split_sentences(text):
        piece = text[seg.start : seg.end]
        assert piece == piece.strip() and piece


def test_long_text_splits_the_same_way_throughout():
    """Speed is a benchmark's business; here: a long text splits the same everywhere."""
    unit = "Mr. Smith said the U.S. plan works. “It is fine. Really,” he said. "
    text = "Title\n\n" + (unit * 20 + "\n\n") * 500
    segs = split_sentences(text)
    pieces = [text[s.start : s.end] for s in segs]
    assert pieces[0] == "Title"
    assert pieces[1:] == ["Mr. Smith said the U.S. plan works.", "“It is fine. Really,” he said."] * 10000


def test_a_question_quoted_before_its_speaker_is_one_sentence():
    text = (
        "Title\n\n\u201cWho do they think they are?\u201d Ana Ruiz said of the council. "
        "\u201cWe are done.\u201d She says it is over. \u201cGo home!\u201d The crowd left."
    )
    sentences = [text[s.start : s.end] for s in split_sentences(text)][1:]
    assert sentences == [
        "\u201cWho do they think they are?\u201d Ana Ruiz said of the council.",
        "\u201cWe are done.\u201d",
        "She says it is over.",
        "\u201cGo home!\u201d",
        "The crowd left.",
    ]


# --------------------------------------------------------------------------- bounded cost


def test_no_segment_is_longer_than_the_cap_and_cuts_fall_at_spaces():
    from articles.text import MAX_SEGMENT_CHARS

    text = "Title\n\n" + "word " * 3000 + "\n\n" + "x" * 4000
    segments = split_sentences(text)
    assert all(s.end - s.start <= MAX_SEGMENT_CHARS for s in segments)
    words = [text[s.start : s.end] for s in segments if s.paragraph == 1]
    assert all(w.startswith("word") and w.endswith("word") for w in words)
    assert "".join(text[s.start : s.end] for s in segments if s.paragraph == 2) == "x" * 4000


def test_text_without_sentence_ends_is_not_prose():
    from articles.text import MAX_UNBROKEN_CHARS, prose_problem

    assert prose_problem("Title\n\n" + "word " * (MAX_UNBROKEN_CHARS // 5 + 1))
    assert "sentence end" in prose_problem("x" * (MAX_UNBROKEN_CHARS + 1))
    assert not prose_problem(("A sentence of words. " * 2000) + "\n" + "word " * 1000)


def test_any_language_splitter_keeps_offsets_and_caps_length():
    from articles.text import MAX_SEGMENT_CHARS, split_sentences_any

    text = "Заголовок\n\nПервое предложение. Второе предложение! 第一句。第二句？\n\n" + "слово " * 600
    segments = split_sentences_any(text)
    pieces = [text[s.start : s.end] for s in segments]
    assert pieces[:5] == ["Заголовок", "Первое предложение.", "Второе предложение!", "第一句。", "第二句？"]
    assert all(s.end - s.start <= MAX_SEGMENT_CHARS for s in segments)
