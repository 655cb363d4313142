"""Which words may name a source: a bare description ("the ministry", "officials", "a
spokesman", "he") points at a speaker without naming one, so it is never an alias."""

from __future__ import annotations

import re

from .lexicon import normalise_alias
from .words import (
    DEFINITE,
    DESCRIPTION_BODIES,
    DESCRIPTION_JOINS,
    DETERMINERS,
    DOC_NOUNS,
    GENERIC_MODIFIERS,
    INDEFINITE,
    NATIONALITIES,
    REFERRING_WORDS,
)

_APPOSITION = re.compile(r"\s*(?:,|\(|\s(?:-{1,2}|–|—)\s).*$", re.S)
# "the ministry's", "the ministries'": the owner's words are the description's words.
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019\u02bc]s\b|(?<=s)['\u2019\u02bc](?!\w)", re.I)
_DETERMINERS = DETERMINERS | DEFINITE


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2] in REFERRING_WORDS:
        return word[:-2]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _head(word: str, *, joined: bool = False) -> str | None:
    """What a description's last word stands for: "body" (one organisation: "ministry"),
    "others" (people, roles, plurals, pronouns, documents) or None (a word that may name).
    After a join a document names no speaker ("the Federal Bureau of Investigation")."""
    if word in DESCRIPTION_BODIES:
        return "body"
    singular = _singular(word)
    if joined and (word in DOC_NOUNS or singular in DOC_NOUNS):
        return None
    if word in REFERRING_WORDS or singular in REFERRING_WORDS:
        return "others"
    if word != singular and singular in NATIONALITIES:
        return "others"  # "Russians", "the Syrians"
    return None


def _describes(words: list[str], *, joined: bool) -> bool:
    """One part of a description between join words: determiners and possessives, modifiers,
    nationalities and bodies ("government officials"), ending in a describing noun."""
    head = _head(words[-1], joined=joined)
    if head is None:
        return False
    for word in words[:-1]:
        if not (
            word in _DETERMINERS
            or word in GENERIC_MODIFIERS
            or word in NATIONALITIES
            or word in DESCRIPTION_BODIES
        ):
            return False
    named = any(word in NATIONALITIES for word in words[:-1])
    # "the Syrian foreign ministry" is one body; "a Syrian ministry" or "Syrian officials" is not.
    return not (named and head == "body" and not any(word in INDEFINITE for word in words))


def is_bare_description(text: str) -> bool:
    """True for words that describe, refer or point without naming: "the ministry", "the
    prime minister", "the ministry's", "the head of the agency", "Russian officials", "he".

    The words are split at joins ("of", "for", ...); every part is determiners or possessives,
    generic modifiers or nationalities and describing nouns, and ends in a describing noun (a
    role, a generic body, a plural of people, a document, a pronoun). A nationality names a
    body ("the Syrian foreign ministry") but not a role or a group ("Russian officials").
    """
    words = normalise_alias(_POSSESSIVE.sub("", text)).split()
    if not words or words[0] in DESCRIPTION_JOINS or words[-1] in DESCRIPTION_JOINS:
        return False
    parts: list[list[str]] = [[]]
    for word in words:
        if word in DESCRIPTION_JOINS:
            parts.append([])
        else:
            parts[-1].append(word)
    return all(part and _describes(part, joined=i > 0) for i, part in enumerate(parts))


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
