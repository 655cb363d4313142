"""Pure text helpers (no Django): decode uploaded bytes, normalise text, split into sentences.

Everything here is regex based and linear in the size of the text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DecodeError",
    "Segment",
    "decode_bytes",
    "normalise",
    "split_sentences",
    "title_from",
]


class DecodeError(ValueError):
    """The bytes are not a text file we can read; the message says why, for people."""


# --------------------------------------------------------------------------- decoding

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 from the pattern of NUL bytes in ASCII-heavy text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        encoding = "utf-16-le"
    elif even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cp1252_with_latin1_fallback(data: bytes) -> str:
    # cp1252 leaves five bytes undefined (0x81 0x8d 0x8f 0x90 0x9d): map those as latin-1.
    return data.decode("cp1252", errors="latin1_fallback")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1"), error.end


codecs.register_error("latin1_fallback", _latin1_fallback)


# The opening bytes of file formats that are sometimes uploaded by mistake instead of text.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive or an Office document (save it as plain text)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (save it as plain text)"),
    (b"{\\rtf", "an RTF document (save it as plain text)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)


def decode_bytes(data: bytes) -> str:
    """Decode an uploaded text file, refusing empty and binary input with a clear message."""
    if not data:
        raise DecodeError("The file is empty.")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"The file is {what}, not plain text.")
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"The file starts with a UTF-8 marker but is not valid UTF-8 (byte {exc.start})."
            ) from exc
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError("The file starts with a UTF-16 marker but is not valid UTF-16.") from exc
    else:
        text = _utf16_without_bom(data)
        if text is None:
            if b"\x00" in data:
                raise DecodeError("The file looks binary (it contains NUL bytes), not text.")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _cp1252_with_latin1_fallback(data)
    if _looks_binary(text):
        raise DecodeError("The file looks binary (too many control characters), not text.")
    if not text.strip():
        raise DecodeError("The file contains only whitespace.")
    return text


# --------------------------------------------------------------------------- normalising

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NBSP = re.compile("[\u00a0\u202f\u2007]")
_TRAILING = re.compile(r"[ \t\f\v]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, \\n newlines, no trailing spaces, at most one blank line in a row, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _NBSP.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip()


def title_from(text: str) -> str:
    """The first non-empty line, trimmed to 300 characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:300]
    return ""


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    paragraph: int


PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A line break starts a new sentence unless the next line continues in lower case.
_LINE_BREAK = re.compile(r"\n(?=[ \t]*[^\sa-z])")
# Candidate sentence ends: terminal punctuation, closing quotes/brackets, then space and
# something that can start a sentence.
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?\u2026]+)(?P<close>[\"\u201d\u2019')\]]*)"
    r"(?=\s+[\"\u201c\u2018'(\[]*[A-Z0-9\u00c0-\u00de])"
)
# After a quotation that ends in ! or ?, its speaker and a speech verb continue the sentence.
_SPEAKER_AFTER_QUOTE = re.compile(
    r"\s+(?:(?:[A-Z][\w.'\u2019\-]*\s+){1,4}|(?:the|a|an)\s+(?:[\w\-]+\s+){1,3})?"
    r"(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|replied|continued|exclaimed|"
    r"shouted|tweeted|recalled|insisted|explained|noted|declared|joked|quipped)"
    # ... and nothing that starts a clause of its own ('” She says it was ...' is a new sentence)
    r"(?=\s*[.,;]|\s+(?:of|to|in|on|at|after|before|during|with|about|as|when|while|last|this|"
    r"yesterday|today|[a-z]+ly)\b)"
)


def _quote_closes(close: str) -> bool:
    return bool(close) and (close[0] in '"\u201d' or close.startswith("''"))


_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-]*)$")
_NEXT_WORD = re.compile(r"\s+[\"\u201c\u2018'(\[]*([A-Za-z0-9]+)")
_QUOTE = re.compile(r"''|[\"\u201c\u201d]")  # '' is the double quote of some wire styles

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "sen",
        "rep",
        "reps",
        "sens",
        "gov",
        "lt",
        "col",
        "capt",
        "cmdr",
        "sgt",
        "maj",
        "adm",
        "brig",
        "cpl",
        "pvt",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "pres",
        "supt",
        "atty",
        "amb",
        "fr",
        "messrs",
        "mme",
        "mlle",
        "det",
        "insp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "v",
        "etc",
        "approx",
        "est",
        "dept",
        "univ",
        "assn",
        "bros",
        "ave",
        "blvd",
        "rd",
        "mt",
        "ft",
        "fig",
        "figs",
        "vol",
        "vols",
        "ed",
        "eds",
        "al",
        "op",
        "ch",
        "sec",
        "art",
        "arts",
        "para",
        "pp",
        "p",
        "cf",
        "ca",
        "viz",
    ]
)
# Abbreviations after which a capitalised word rarely starts a new sentence.
_ALWAYS_JOIN = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "sen",
        "rep",
        "reps",
        "sens",
        "gov",
        "lt",
        "col",
        "capt",
        "cmdr",
        "sgt",
        "maj",
        "adm",
        "brig",
        "cpl",
        "pvt",
        "st",
        "rev",
        "hon",
        "pres",
        "supt",
        "atty",
        "amb",
        "fr",
        "messrs",
        "mme",
        "mlle",
        "det",
        "insp",
        "no",
        "nos",
        "vs",
        "v",
        "cf",
        "viz",
        "fig",
        "figs",
        "vol",
        "vols",
        "pp",
        "p",
        "op",
        "art",
        "arts",
        "sec",
        "ch",
        "para",
    ]
)
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
# Words that typically start a sentence: after "U.S." etc. they mean a new sentence.
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
        "in",
        "on",
        "at",
        "for",
        "if",
        "when",
        "while",
        "after",
        "before",
        "as",
        "however",
        "still",
        "also",
        "meanwhile",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "officials",
    ]
)


def _is_abbreviation(chunk: str, pos: int, next_word: str) -> bool:
    """Does the period ending at ``pos`` belong to an abbreviation (so no sentence break)?"""
    match = _WORD_BEFORE.search(chunk, max(0, pos - 40), pos)
    if not match:
        return False
    word = match.group(1)
    core = word.rstrip(".")
    low = core.lower()
    if "." in core:  # dotted acronym such as U.S. / U.N. / e.g. / i.e.
        if low in {"e.g", "i.e"}:
            return True
        return next_word.lower() not in _SENTENCE_STARTERS
    if len(core) == 1 and core.isupper():  # an initial: "J. Smith"
        return True
    if low in _MONTHS:
        return next_word[:1].isdigit() or next_word.lower() not in _SENTENCE_STARTERS
    if low in ("no", "nos"):
        return core[0].isupper() and next_word[:1].isdigit()
    if low in _ALWAYS_JOIN:
        return True
    if low in _ABBREVIATIONS:
        return next_word.lower() not in _SENTENCE_STARTERS
    return False


def _quote_depths(chunk: str) -> list[tuple[int, int]]:
    """(position after each double quote mark, quote depth there); depth never below zero."""
    out = []
    depth = 0
    for m in _QUOTE.finditer(chunk):
        ch = m.group()
        pos = m.start()
        if ch == "\u201c":
            opening = True
        elif ch == "\u201d":
            opening = False
        else:  # straight quote: opening when it follows a space or an opening bracket
            prev = chunk[pos - 1] if pos else " "
            opening = prev.isspace() or prev in "([{\u2014\u2013-:" or (depth == 0 and pos == 0)
        depth = depth + 1 if opening else max(0, depth - 1)
        out.append((m.end(), depth))
    return out


def _split_chunk(chunk: str) -> list[tuple[int, int]]:
    """Sentence spans (relative, untrimmed) of one line of a paragraph."""
    depths = _quote_depths(chunk)
    breaks = []
    q = 0
    depth = 0
    for m in _CANDIDATE.finditer(chunk):
        end = m.end()
        while q < len(depths) and depths[q][0] <= end:
            depth = depths[q][1]
            q += 1
        if depth > 0:
            continue
        if (
            m.group("punct") in "?!"
            and _quote_closes(m.group("close"))
            and _SPEAKER_AFTER_QUOTE.match(chunk, end)
        ):
            continue  # '“Who do they think they are?” Trump said.': one sentence
        if not m.group("close"):
            punct = m.group("punct")
            if punct == ".":
                nxt = _NEXT_WORD.match(chunk, end)
                next_word = nxt.group(1) if nxt else ""
                if _is_abbreviation(chunk, m.start("punct"), next_word):
                    continue
        breaks.append(end)
    spans = []
    start = 0
    for b in breaks:
        spans.append((start, b))
        start = b
    spans.append((start, len(chunk)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph, blank lines apart, edges trimmed; numbered from 0."""
    spans = []
    start = 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in (_trimmed(text, s, e) for s, e in spans) if e > s]


def split_sentences(text: str) -> list[Segment]:
    """Split ``text`` into sentence segments whose offsets slice back exactly.

    Paragraphs are separated by blank lines and numbered from 0; a single-line first
    paragraph (the title) is one segment. Quotations running over several sentences stay
    one segment; an unclosed quote never reaches past its paragraph.
    """
    segments: list[Segment] = []
    for index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraph = text[p_start:p_end]
        if index == 0 and "\n" not in paragraph:
            segments.append(Segment(p_start, p_end, 0))
            continue
        lines = []
        start = 0
        for m in _LINE_BREAK.finditer(paragraph):
            lines.append((start, m.start()))
            start = m.end()
        lines.append((start, len(paragraph)))
        for l_start, l_end in lines:
            chunk = paragraph[l_start:l_end]
            for s, e in _split_chunk(chunk):
                s, e = _trimmed(chunk, s, e)
                if e > s:
                    segments.append(Segment(p_start + l_start + s, p_start + l_start + e, index))
    return segments
