"""The attribution engine: pure Python, no Django.

from attributions.engine import Lexicon, extract
results = extract(article_text, Lexicon.from_registry())
"""

from .aliases import is_bare_description, name_part
from .extractor import Mention, StatementResult, Suggestion, extract
from .lexicon import Lexicon, load_registry, normalise_alias
from .prediction import to_prediction

#: The languages the engine has rules for (ISO 639-1): its cue words are English.
LANGUAGES = frozenset({"en"})

__all__ = [
    "LANGUAGES",
    "Lexicon",
    "Mention",
    "StatementResult",
    "Suggestion",
    "extract",
    "is_bare_description",
    "load_registry",
    "name_part",
    "normalise_alias",
    "to_prediction",
]
