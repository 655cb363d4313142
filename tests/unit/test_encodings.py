"""Every encoding a newsroom sends is read back to exactly the text that was written.

The texts (tests/texts/, written for these tests) are at least 300 characters of prose each.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from articles.text import DecodeError, EncodingUncertain, decode, encoding_label

TEXTS = Path(__file__).resolve().parents[1] / "texts"


def text(language: str) -> str:
    return (TEXTS / f"{language}.txt").read_text(encoding="utf-8").strip()


def persian_for_cp1256() -> str:
    # Windows-1256 has no Farsi yeh: Persian files in it are written with the Arabic one.
    return text("fa").replace("\u06cc", "\u064a")


CASES = [
    ("en", "utf-8", "utf-8"),
    ("ru", "utf-8", "utf-8"),
    ("zh", "utf-8", "utf-8"),
    ("ru", "cp1251", "cp1251"),
    ("ru", "koi8_r", "koi8-r"),
    ("ru", "iso8859_5", "iso8859-5"),
    ("ar", "cp1256", "cp1256"),
    ("ar", "iso8859_6", "iso8859-6"),
    ("el", "iso8859_7", "iso8859-7"),
    ("pl", "iso8859_2", "iso8859-2"),
    ("cs", "iso8859_2", "iso8859-2"),
    ("fr", "iso8859_15", "iso8859-15"),
    ("fr", "cp1252", "cp1252"),
    ("de", "cp1252", "cp1252"),
    ("es", "cp1252", "cp1252"),
    # ISO-8859-1 and Windows-1252 agree on every character of this text: either name is right
    ("es", "iso8859_1", "cp1252"),
    ("zh", "gb18030", "gb18030"),
    ("ja", "shift_jis", "shift_jis"),
    # UTF-16 without a byte-order mark, in both byte orders, in several scripts
    ("ru", "utf_16_le", "utf-16-le"),
    ("ru", "utf_16_be", "utf-16-be"),
    ("en", "utf_16_le", "utf-16-le"),
    ("ar", "utf_16_be", "utf-16-be"),
    ("zh", "utf_16_le", "utf-16-le"),
    ("he", "utf_16_le", "utf-16-le"),
]


@pytest.mark.parametrize(("language", "codec", "reported"), CASES, ids=lambda v: str(v))
def test_prose_decodes_to_exactly_the_original(language, codec, reported):
    original = text(language)
    assert len(original) >= 300
    decoded = decode(original.encode(codec))
    assert decoded.text == original
    assert decoded.encoding == reported


def test_persian_in_windows_1256():
    original = persian_for_cp1256()
    decoded = decode(original.encode("cp1256"))
    assert decoded.text == original and decoded.encoding == "cp1256"


@pytest.mark.parametrize(
    ("bom", "codec", "reported"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_a_byte_order_mark_decides(bom, codec, reported):
    original = text("ru")
    decoded = decode(bom + original.encode(codec))
    assert decoded.text == original and decoded.encoding == reported


def test_a_file_in_an_encoding_nobody_listed_is_refused_naming_the_best_guess():
    # Polish in Windows-1250 (not one of the detected encodings): the closest reading, as
    # ISO-8859-2, garbles some letters, so it is not trusted.
    with pytest.raises(EncodingUncertain, match=r"uncertain \(best guess: ISO-8859-2") as caught:
        decode(text("pl").encode("cp1250"))
    assert caught.value.guess == "iso8859-2"


def test_a_short_text_readable_in_several_scripts_is_refused():
    with pytest.raises(EncodingUncertain, match="reads as well"):
        decode("Café".encode("latin-1"))


def test_a_chosen_encoding_reads_what_the_detector_would_not():
    original = text("pl")
    assert decode(original.encode("cp1250"), "windows-1250").text == original
    assert decode(original.encode("cp1250"), "cp1250").encoding == "cp1250"


def test_a_chosen_encoding_that_does_not_fit_says_so():
    with pytest.raises(DecodeError, match=r"not valid Shift_JIS"):
        decode(text("ru").encode("utf-8"), "shift_jis")


def test_an_unknown_encoding_name_is_a_lookup_error():
    with pytest.raises(LookupError):
        decode(b"abc", "no-such-encoding")


def test_labels_for_people():
    assert encoding_label("cp1251") == "Windows-1251"
    assert encoding_label("koi8_r") == "KOI8-R"
    assert encoding_label("latin-1") == "ISO-8859-1"
    assert encoding_label("nonsense") == "nonsense"
