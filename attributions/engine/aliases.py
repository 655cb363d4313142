"""Which words may name a source: a bare description ("the ministry", "officials", "a
spokesman", "he") points at a speaker without naming one, so it is never an alias."""

from __future__ import annotations

import re

from .lexicon import normalise_alias
from .words import DESCRIPTION_JOINS, DETERMINERS, GENERIC_MODIFIERS, REFERRING_WORDS

_APPOSITION = re.compile(r"\s*(?:,|\(|\s(?:-{1,2}|–|—)\s).*$", re.S)


def is_bare_description(text: str) -> bool:
    """True for words that describe, refer or point without naming: every word a determiner,
    a generic modifier or a referring noun or pronoun, and at least one of the last."""
    words = normalise_alias(text).split()
    if not words:
        return False
    allowed = DETERMINERS | GENERIC_MODIFIERS | REFERRING_WORDS | DESCRIPTION_JOINS | {"the"}
    return all(word in allowed for word in words) and any(word in REFERRING_WORDS for word in words)


def name_part(mention: str) -> str:
    """The words of a mention that name its source: "Tass, a Russian News Agency" -> "Tass";
    "the Syrian Ministry of Foreign Affairs" -> "Syrian Ministry of Foreign Affairs"; a bare
    description -> ""."""
    name = _APPOSITION.sub("", " ".join(mention.split()))
    words = name.split(" ")
    while words and words[0].casefold() in DETERMINERS:
        words.pop(0)
    # "spokesman for Amnesty International": the role goes, the body it speaks for stays.
    if len(words) > 2 and words[0].casefold() in REFERRING_WORDS and words[1].casefold() in DESCRIPTION_JOINS:
        return name_part(" ".join(words[2:]))
    name = " ".join(words)
    return "" if not name or is_bare_description(name) else name
