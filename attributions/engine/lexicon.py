"""Source lexicon: alias normalisation, the built-in registry, and tolerant alias lookup."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["Lexicon", "load_registry", "normalise_alias"]

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "registry.json"

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": " ",
        "\u2014": " ",
        "\u2015": " ",
        "\u2212": "-",
    }
)
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=\w)'(?!\w)")
_DOT_IN_WORD = re.compile(r"(?<=\w)\.(?=\w)|(?<=\b\w)\.")
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_PUNCT = re.compile(r"[^\w\s\u0001]+")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")


@lru_cache(maxsize=65536)
def normalise_alias(text: str) -> str:
    """Casefold and simplify a surface form so that spelling variants meet.

    "The U.S. State Department" -> "us state department"; "Syria’s" -> "syrias";
    "US-led" keeps its inner hyphen; other punctuation goes.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _APOSTROPHE.sub("", text)
    text = _DOT_IN_WORD.sub("", text)
    text = _INNER_HYPHEN.sub("\u0001", text)
    text = _PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip().replace("\u0001", "-")
    return _LEADING_THE.sub("", text)


def load_registry() -> list[dict]:
    """The built-in source registry (attributions/registry.json)."""
    with REGISTRY_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


# Words in front of a name that do not change who it is ("a report by X" is X's).
_HEAD_PREFIX = re.compile(
    r"^(?:(?:a|an|the|this|that|these|its|their|his|her|new|latest|recent|separate|"
    r"joint|written|two|several|official|annual|final|draft|preliminary|leaked|"
    r"confidential|internal|detailed|brief|short|long|monthly|weekly|published)\s+)*"
    r"(?:report|reports|statement|statements|letter|letters|study|survey|poll|analysis|"
    r"release|press release|communique|document|documents|memo|article|story|investigation|"
    r"review|findings|spokesman|spokeswoman|spokesperson|representative|"
    r"official|officials|source|sources|website|account|tweet|post|broadcast|interview|"
    r"data|figures|count|tally|estimate|estimates)\s+(?:by|from|of|for|at|to|released by|"
    r"published by|issued by|close to|with)\s+"
)
_POSSESSIVE_TAIL = re.compile(
    r"^(?P<owner>.+?)s\s+(?:own\s+)?(?:report|statement|letter|letters|study|survey|poll|analysis|"
    r"spokesman|spokeswoman|spokesperson|website|account|data|figures|count|tally|"
    r"officials|representative)$"
)
_TITLE_WORDS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "secretary",
        "minister",
        "general",
        "gen",
        "prime",
        "chancellor",
        "king",
        "queen",
        "prince",
        "sheikh",
        "ayatollah",
        "judge",
        "justice",
        "mayor",
        "ambassador",
        "envoy",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "leader",
        "commander",
        "colonel",
        "col",
        "lt",
        "captain",
        "capt",
        "adm",
        "admiral",
        "sgt",
    ]
)
_DESCRIPTOR_WORDS = frozenset(
    [
        "us",
        "uk",
        "un",
        "eu",
        "republican",
        "democratic",
        "democrat",
        "gop",
        "former",
        "the",
        "a",
        "an",
        "then",
        "acting",
        "deputy",
        "vice",
        "interim",
        "assistant",
        "senior",
        "foreign",
        "defence",
        "defense",
        "state",
        "federal",
    ]
)
_NATIONALITY = re.compile(r"(?:an|ian|ese|ish|i|ic|ch)$")


class Lexicon:
    """Normalised alias -> (source key, display name), with a tolerant ``resolve``."""

    def __init__(self, table: dict[str, tuple[str, str]] | None = None) -> None:
        self._table: dict[str, tuple[str, str]] = dict(table or {})
        self._kinds: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, alias: str) -> bool:
        return normalise_alias(alias) in self._table

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str, str]]) -> Lexicon:
        """Build from (alias surface form, source key, source display name) triples.

        An alias that names two different sources is ambiguous and left out.
        """
        table: dict[str, tuple[str, str]] = {}
        ambiguous: set[str] = set()
        for alias, key, name in pairs:
            norm = normalise_alias(alias or "")
            if not norm or norm in ambiguous:
                continue
            known = table.get(norm)
            if known is not None and known[0] != key:
                ambiguous.add(norm)
                del table[norm]
                continue
            table[norm] = (key, name)
        return cls(table)

    @classmethod
    def from_registry(cls, registry: list[dict] | None = None) -> Lexicon:
        """Build from the registry (default: the built-in one); key = slug."""
        if registry is None:
            registry = load_registry()
        pairs = []
        for entry in registry:
            for alias in [entry["name"], *entry.get("aliases", [])]:
                pairs.append((alias, entry["slug"], entry["name"]))
        lexicon = cls.from_pairs(pairs)
        lexicon._kinds = {entry["slug"]: entry.get("kind", "other") for entry in registry}
        return lexicon

    def kind_of(self, key: str) -> str | None:
        """The registry kind of a key, when the lexicon was built from a registry."""
        return self._kinds.get(key)

    def lookup(self, text: str) -> tuple[str, str] | None:
        """Exact lookup of a normalised form."""
        return self._table.get(normalise_alias(text))

    def resolve(self, mention_text: str) -> tuple[str, str] | None:
        """(key, name) for a mention, or None.

        Tolerant: leading "the", appositions ("Tass, a Russian News Agency"), a document or
        spokesperson head ("a report by Amnesty International"), possessives
        ("Amnesty's report") and leading titles or descriptions
        ("longtime pollster John Smith") are tried in turn.
        """
        if not self._table:
            return None
        return self._resolve(normalise_alias(mention_text), mention_text)

    def _resolve(self, norm: str, raw: str) -> tuple[str, str] | None:
        table = self._table
        if not norm:
            return None
        hit = table.get(norm)
        if hit:
            return hit
        # Appositions: try each comma part, the first (the name) first.
        if "," in raw:
            for part in raw.split(","):
                hit = table.get(normalise_alias(part))
                if hit:
                    return hit
        # "a report by X", "a spokesman for X"
        stripped = _HEAD_PREFIX.sub("", norm)
        if stripped != norm:
            hit = table.get(_LEADING_THE.sub("", stripped))
            if hit:
                return hit
        # "X's report"
        m = _POSSESSIVE_TAIL.match(norm)
        if m:
            hit = table.get(m.group("owner")) or table.get(m.group("owner") + "s")
            if hit:
                return hit
        # Leading titles and descriptions ("longtime pollster John Smith", "US President X"):
        # drop words from the front while they are lower case, titles or nationalities.
        words = norm.split()
        raw_words = _SPACES.split(raw.strip())
        if len(words) > 1 and len(raw_words) == len(words):
            for i in range(1, len(words)):
                dropped_raw, dropped = raw_words[i - 1], words[i - 1]
                if not (
                    not dropped_raw[:1].isupper()
                    or dropped in _TITLE_WORDS
                    or dropped in _DESCRIPTOR_WORDS
                    or _NATIONALITY.search(dropped)
                ):
                    break
                hit = table.get(" ".join(words[i:]))
                if hit:
                    return hit
        return None
