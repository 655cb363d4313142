"""Pure text helpers (no Django): decode uploaded bytes, normalise text, split into sentences.

Everything here is regex based and linear in the size of the text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

__all__ = [
    "DETECTED_ENCODINGS",
    "DecodeError",
    "Decoded",
    "EncodingUncertain",
    "Segment",
    "decode",
    "decode_bytes",
    "encoding_label",
    "normalise",
    "prose_problem",
    "split_sentences",
    "split_sentences_any",
    "title_from",
]


# --------------------------------------------------------------------------- decoding

#: The encodings newsrooms send, in the order that breaks a tie between equally good readings
#: (the commonest first). The detector only considers these; any codec Python knows can be
#: chosen by hand (``decode(data, encoding=...)``).
DETECTED_ENCODINGS = (
    "utf_8",
    "utf_16_le",
    "utf_16_be",
    "cp1252",
    "iso8859_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1256",
    "iso8859_6",
    "iso8859_7",
    "iso8859_2",
    "gb18030",
    "shift_jis",
)

#: Readable names for the report, by Python's canonical codec name.
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16 (with BOM)",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
    "cp1253": "Windows-1253",
    "cp1255": "Windows-1255",
    "cp1256": "Windows-1256",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
    "iso8859-1": "ISO-8859-1",
    "iso8859-2": "ISO-8859-2",
    "iso8859-5": "ISO-8859-5",
    "iso8859-6": "ISO-8859-6",
    "iso8859-7": "ISO-8859-7",
    "iso8859-8": "ISO-8859-8",
    "iso8859-15": "ISO-8859-15",
    "gb18030": "GB18030",
    "big5": "Big5",
    "shift_jis": "Shift_JIS",
    "cp932": "Shift_JIS (Windows)",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
}


def encoding_label(name: str) -> str:
    """'cp1251' -> 'Windows-1251'; unknown names are shown as they are."""
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    return ENCODING_LABELS.get(name, name)


def canonical_encoding(name: str) -> str:
    """Python's canonical name of a codec ('windows-1251' -> 'cp1251'); LookupError if unknown."""
    return codecs.lookup(name).name


class DecodeError(ValueError):
    """The bytes are not a text file we can read; the message says why, for people."""


class EncodingUncertain(DecodeError):
    """The detector's best reading is not trustworthy: the file waits for a chosen encoding."""

    def __init__(self, message: str, guess: str = "") -> None:
        super().__init__(message)
        self.guess = guess


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python's canonical codec name ("utf-8", "cp1251", "utf-16-le", ...)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 100)


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

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# A reading whose share of implausible characters (see _implausible) is above this is not
# trusted. (charset-normalizer itself drops readings whose mess ratio is above 0.2.)
MAX_IMPLAUSIBLE = 0.01


def decode(data: bytes, encoding: str | None = None, *, candidates=DETECTED_ENCODINGS) -> Decoded:
    """Decode an uploaded text file, refusing empty, binary and undecidable input with a message.

    In order: known binary signatures; a byte-order mark (UTF-8, UTF-16); valid UTF-8; then the
    charset-normalizer detector over ``candidates``, whose readings are ranked by how plausible
    their characters are (no control characters, no letter of one script glued to a letter of
    another), then its mess and language coherence measures, then the order of ``candidates``.
    A reading that is not plausible, or a tie between readings in different scripts, raises
    ``EncodingUncertain`` naming the best guess. ``encoding`` skips the detection.
    """
    if not data:
        raise DecodeError("The file is empty.")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"The file is {what}, not plain text.")
    if encoding:
        decoded = _decode_as(data, canonical_encoding(encoding))
    else:
        decoded = _decode_bom(data) or _decode_utf8(data) or _detect(data, candidates)
    if _looks_binary(decoded.text):
        raise DecodeError("The file looks binary (too many control characters), not text.")
    if not decoded.text.strip():
        raise DecodeError("The file contains only whitespace.")
    return decoded


def decode_bytes(data: bytes, encoding: str | None = None) -> str:
    """The text of ``decode``."""
    return decode(data, encoding).text


def _decode_as(data: bytes, encoding: str) -> Decoded:
    for bom, name in _BOMS:
        if data.startswith(bom) and encoding.startswith(name[:6]):
            data = data[len(bom) :]
            break
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"The file is not valid {encoding_label(encoding)} (byte {exc.start:,}).") from exc


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), name)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"The file starts with a {encoding_label(name)} marker but is not valid "
                    f"{encoding_label(name)} (byte {exc.start:,})."
                ) from exc
    return None


def _decode_utf8(data: bytes) -> Decoded | None:
    if b"\x00" in data:  # UTF-16 without a marker, or binary: the detector decides
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def _script(ch: str) -> str:
    """A letter's (or a script's own mark's) script, roughly: the first word of its Unicode
    name; '' for anything else."""
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    if not ch.isalpha() and not unicodedata.category(ch).startswith("M"):
        return ""
    word = unicodedata.name(ch, "?").split(" ", 1)[0]
    if word == "COMBINING":
        return ""
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH") else word


def _implausible(text: str) -> float:
    """The share of non-ASCII characters that real text would not have where they stand.

    Control, private-use and unassigned characters; a letter glued to a letter of another
    script ('Cafй'); an East Asian wide sign right after a Latin letter ('protegA﹕').
    """
    bad = others = 0
    previous = ""
    for ch in text:
        if ch.isascii():
            control = ch < " " and ch not in "\t\n\r\f"
            if control or (ch.isalpha() and previous not in ("", "LATIN")):
                bad += 1
            previous = "LATIN" if ch.isalpha() else ""
            continue
        others += 1
        if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
            bad += 1
            previous = ""
            continue
        script = _script(ch)
        if previous and (
            (script and script != previous)
            or (not script and previous == "LATIN" and unicodedata.east_asian_width(ch) in "WF")
        ):
            bad += 1
        previous = script
    return bad / max(others, 1)


@dataclass(frozen=True)
class _Reading:
    implausible: float
    chaos: float
    coherence: float
    rank: int
    encoding: str
    text: str
    language: str

    @property
    def key(self) -> tuple:
        return (round(self.implausible, 3), round(self.chaos, 3), -round(self.coherence, 2), self.rank)

    @property
    def scripts(self) -> set[str]:
        return {_script(ch) for ch in self.text if not ch.isascii()} - {""}


def _detect(data: bytes, candidates) -> Decoded:
    matches = charset_normalizer.from_bytes(data, cp_isolation=list(candidates))
    order = {canonical_encoding(name): index for index, name in enumerate(candidates)}
    readings = []
    for match in matches:
        text = str(match)
        # One reading per text: of the encodings that give it, the commonest is reported.
        rank, encoding = min(
            (order.get(name, len(order)), name)
            for name in map(canonical_encoding, match.could_be_from_charset or [match.encoding])
        )
        readings.append(
            _Reading(_implausible(text), match.chaos, match.coherence, rank, encoding, text, match.language)
        )
    readings.sort(key=lambda reading: reading.key)
    if not readings:
        if b"\x00" in data:
            raise DecodeError("The file looks binary (it contains NUL bytes), not text.")
        raise DecodeError("The file looks binary, or is in an encoding we do not recognise.")
    best, rival = readings[0], next(iter(readings[1:]), None)
    if _looks_binary(best.text):
        what = "it contains NUL bytes" if b"\x00" in data else "too many control characters"
        raise DecodeError(f"The file looks binary ({what}), not text.")
    tie = rival is not None and rival.key[:3] == best.key[:3] and rival.scripts != best.scripts
    if best.implausible > MAX_IMPLAUSIBLE or tie:
        guess = encoding_label(best.encoding)
        language = f", {best.language}" if best.language and best.language != "Unknown" else ""
        also = f"; {encoding_label(rival.encoding)} reads as well" if tie else ""
        raise EncodingUncertain(
            f"The encoding is uncertain (best guess: {guess}{language}{also}). "
            "Choose the encoding and import the file again.",
            guess=best.encoding,
        )
    return Decoded(best.text, best.encoding)


# --------------------------------------------------------------------------- normalising

# Invisible characters that only get in the way of matching. The zero-width (non-)joiners
# stay: Persian and the Indic scripts spell words with them.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff\u00ad]")
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
    if any(space + "\n" in text for space in " \t\f\v") or text[-1:] in (" ", "\t", "\f", "\v"):
        text = _TRAILING.sub("", text)  # (the checks first: most texts have nothing to trim)
    if "\n\n\n" in text:
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


#: No segment is longer than this: a longer "sentence" (a text without punctuation) is cut
#: at the last space before it, so the engine's cost per segment, and so per text, stays
#: bounded (its longest real sentence on PolNeAR is under 900 characters).
MAX_SEGMENT_CHARS = 1500


def _capped(start: int, end: int, text: str) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SEGMENT_CHARS:
        cut = text.rfind(" ", start + MAX_SEGMENT_CHARS // 2, start + MAX_SEGMENT_CHARS)
        cut = cut if cut > start else start + MAX_SEGMENT_CHARS
        pieces.append(_trimmed(text, start, cut))
        start = cut
    pieces.append(_trimmed(text, start, end))
    return [(s, e) for s, e in pieces if e > s]


def split_sentences(text: str) -> list[Segment]:
    """Split English ``text`` into sentence segments whose offsets slice back exactly.

    Paragraphs are separated by blank lines and numbered from 0; a single-line first
    paragraph (the title) is one segment. Quotations running over several sentences stay
    one segment; an unclosed quote never reaches past its paragraph. No segment is longer
    than MAX_SEGMENT_CHARS.
    """
    return _segments(text, _split_chunk)


def split_sentences_any(text: str) -> list[Segment]:
    """Sentence segments for a text in any language (no English abbreviation or quotation
    rules): a sentence ends at . ! ? … ؟ (and closing quotes) before a space and anything but
    a lower-case letter, and right after 。！？."""
    return _segments(text, _split_chunk_any)


def _segments(text: str, split_chunk) -> list[Segment]:
    segments: list[Segment] = []
    for index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraph = text[p_start:p_end]
        if index == 0 and "\n" not in paragraph:
            for s, e in _capped(p_start, p_end, text):
                segments.append(Segment(s, e, 0))
            continue
        lines = []
        start = 0
        for m in _LINE_BREAK.finditer(paragraph):
            lines.append((start, m.start()))
            start = m.end()
        lines.append((start, len(paragraph)))
        for l_start, l_end in lines:
            chunk = paragraph[l_start:l_end]
            offset = p_start + l_start
            for s, e in split_chunk(chunk):
                for a, b in _capped(offset + s, offset + e, text):
                    segments.append(Segment(a, b, index))
    return segments


_ANY_END = re.compile(
    r"[.!?\u2026\u061f]+[\"\u201d\u2019'\u00bb)\]]*(?=\s+(?P<next>\S))|[\u3002\uff01\uff1f]+[\u300d\u300f\uff09]*"
)


def _split_chunk_any(chunk: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _ANY_END.finditer(chunk):
        following = m.group("next")
        if following is not None and following.islower():
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(chunk)))
    return spans


#: A text with this many characters in a row and no sentence end or line break is not
#: article prose (a dump, a table without newlines, generated junk): it is refused rather
#: than split into thousands of arbitrary pieces.
MAX_UNBROKEN_CHARS = 20_000
_UNBROKEN = re.compile(r"[^\n.!?\u2026\u061f\u3002\uff01\uff1f]{" + str(MAX_UNBROKEN_CHARS) + "}")


def prose_problem(text: str) -> str:
    """Why ``text`` is refused as an article ('' when it is fine). Linear in its length."""
    if _UNBROKEN.search(text):
        return (
            f"refused: more than {MAX_UNBROKEN_CHARS:,} characters in a row without a sentence end "
            "or a line break, which is not article text"
        )
    return ""
