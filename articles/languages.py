"""The language of an article: detected at import (lingua, offline: its models ship in the
package), named for people, written right to left or not, searched with a matching
PostgreSQL text-search configuration.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

#: Scripts written right to left (the text's ``dir``).
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "yi", "ps"})

#: PostgreSQL's built-in text-search configurations, by language; 'simple' for the rest.
SEARCH_CONFIGS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
SIMPLE_CONFIG = "simple"

#: How much text the detector reads (from the start of the body, after the title): enough for
#: a sure answer, little enough to stay a small part of an import's cost.
SAMPLE_CHARS = 150
#: Below this confidence, or with fewer letters than this, the language stays undetermined.
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 12

_LETTER = re.compile(r"[^\W\d_]")


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, SIMPLE_CONFIG)


def language_name(language: str) -> str:
    """'ru' -> 'Russian'; '' -> 'undetermined'."""
    if not language:
        return "undetermined"
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, language.upper())).name.title()
    except (AttributeError, ValueError):
        return language


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


@cache
def _detector():
    """Built once per process (about 0.3 s and 50 MB for the default languages)."""
    codes = [getattr(IsoCode639_1, code.upper()) for code in settings.IMPORT_LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def _sample(text: str) -> str:
    """Up to SAMPLE_CHARS of the body after its first line (the title), cut at a space."""
    first, _, rest = text.partition("\n")
    body = rest.strip() or first
    if len(body) <= SAMPLE_CHARS:
        return body
    cut = body.rfind(" ", 0, SAMPLE_CHARS)
    return body[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language, or '' when it cannot be told."""
    sample = _sample(text)
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return ""
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return ""
    return values[0].language.iso_code_639_1.name.lower()
