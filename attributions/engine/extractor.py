"""The rule-based extractor: statements, cues, source mentions, carry-over.

Every suggestion names the rule that made it:

- ``according-to``  "According to X, ..." / "..., according to X."
- ``nested``        "According to X, Y said ..." and "X reported that Y said ..." (via X)
- ``say-verb-pre``  "X said (that) ..."  (speaker before the cue, content after)
- ``say-verb-post`` "..., X said." / "“...,” said X."  (content before the cue)
- ``colon-quote``   "X: “...”" and "X said:" followed by the quoted statement
- ``quote-credit``  "“...” ― Carla Sanchez" (a quotation credited after a dash)
- ``speaker-label`` "SMITH: ..." (a transcript's or a headline's speaker label)
- ``stance-cue``    "X criticized the plan", "X called for an inquiry" (the object is the claim)
- ``relative``      "..., who said ..." (the relative pronoun is the mention, its antecedent the name)
- ``participle``    "..., adding that ..." (the speaker of the clause before)
- ``carry-over``    a bare quotation continuing the previous speaker
- ``anaphor``       "The report says", "the ministry added" (an earlier source)
- ``unnamed``       "Experts say", "a source close to the ministry said"
- ``belief-cue``    "X believes (that) ...", "she thinks he ..." (weaker evidence; not "wants to")
- ``finding``       "the poll shows", "a new Pew survey found"

Statement spans follow the attributed content: a long leading phrase ("In a letter to the
court on Monday, ..."), a long speaker description before a short claim, a trailing
adverbial clause (", even as ...") and what trails a post-position cue ("..., X said during
a visit to ...") become statements of their own without a suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.text import split_sentences

from . import words as W
from .lexicon import Lexicon

__all__ = ["Mention", "StatementResult", "Suggestion", "extract"]


@dataclass
class Mention:
    text: str
    start: int
    end: int
    key: str | None
    name: str
    kind: str  # "named" | "unnamed" | "pronoun" | "carried"
    proposed_kind: str | None = None


@dataclass
class Suggestion:
    source: Mention
    via: Mention | None
    cue: str
    cue_start: int
    cue_end: int
    confidence: float
    rule: str


@dataclass
class StatementResult:
    start: int
    end: int
    paragraph: int
    ordinal: int
    suggestion: Suggestion | None
    # The words that introduce a neighbouring statement's claim ("X, a long description,
    # said"), split off so the attributed statement is the claim itself.
    frame: bool = False


_FRAME = object()  # marks a frame part between _attribute and extract

#: A guard on cost, not a rule: real sentences have a few cues; a "sentence" with dozens
#: (text without punctuation) would cost a look over itself for each of them.
MAX_CUES_PER_SENTENCE = 8


# --------------------------------------------------------------------------- regexes


def _set_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _alternation(forms) -> str:
    return "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))


_ALL_CUES = W.SAY_ANY | W.SAY_OBJECT | W.SAY_CLAUSE | W.BELIEF | W.FINDING
_ADVERB = (
    r"(?:has|have|had|will|would|could|can|may|might|should|must|also|later|earlier|"
    r"previously|then|once|again|further|first|still|even|just|already|never|not|now|often|ever|"
    r"long|since|too|"
    r"is|was|are|were|been|being|be|"
    r"(?!family\b|ally\b|rally\b|reply\b|supply\b|assembly\b|early\b|only\b|july\b|"
    r"italy\b|daily\b|weekly\b|monthly\b|holy\b|bully\b|belly\b|jelly\b|silly\b)[a-z]{3,}ly|"
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|yesterday|today|"
    r"in\s+(?:a|an|its|his|her|their)\s+(?:statement|interview|letter|report|tweet|post|"
    r"speech|email|news\s+conference|press\s+conference|press\s+release))"
)
_CUE = re.compile(
    r"(?:\b|(?<=\w)(?=['\u2019]))(?P<aux>(?:['\u2019](?:s|ve|d)\s+)?(?:(?:" + _ADVERB + r")\s+)*)"
    r"(?P<cue>(?:" + _alternation(_ALL_CUES) + r")(?:\s+(?:out|for|on))?)\b(?!-)"
)
_ABBR_STOP = (
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bGen)(?<!\bSt)"
    r"(?<!\bJr)(?<!\bSr)(?<!\bLt)(?<!\bCol)(?<!\bProf)(?<!\bRev)(?<!\b[A-Z])\.(?=\s|$)"
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_ACCORDING_END = re.compile(
    r"[,;:()\u2014\"\u201c\u201d]|" + _ABBR_STOP + r"|$|\s+(?:that|who|which|when|taken|released|published|"
    r"conducted|issued)\b"
)
_TOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][\w'\u2019.\-&]*")
_QUOTE_CHAR = re.compile(r"''|[\"\u201c\u201d]")
# a closing bracket ends a clause, except after a party tag: "(R-Ohio)", "(D-N.Y.)"
_PARTY_TAG_END = "".join(r"(?<!\([RDI]-[A-Z][A-Za-z.]{" + str(n) + "})" for n in range(1, 12))
_CLAUSE_PUNCT = re.compile(
    r"[,;:\u2014\u2013\[\]]|\((?![RDI](?:-|\)))|(?<![A-Z.])"
    + _PARTY_TAG_END
    + r"\)|\s-\s|''|[\"\u201c\u201d]"
)
_BOUNDARY_WORD = re.compile(
    r"\b(?:that|but|while|because|when|after|before|if|although|though|whereas|since|so|"
    r"where|which|who|whom|until|unless|whether|(?<![Mm]ore )(?<![Ll]ess )(?<![Ff]ewer )than|as|"
    r"and(?!\s+[A-Z]))\b"
)
_SUBORDINATORS = frozenset(
    [
        "because",
        "when",
        "after",
        "before",
        "if",
        "although",
        "though",
        "since",
        "which",
        "who",
        "whom",
        "until",
        "unless",
        "whether",
        "than",
    ]
)
_ADVERBIAL_OPENERS = frozenset(
    [
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "for",
        "from",
        "with",
        "by",
        "under",
        "over",
        "since",
        "until",
        "among",
        "despite",
        "like",
        "about",
        "against",
        "into",
        "through",
        "throughout",
        "within",
        "without",
        "toward",
        "towards",
        "upon",
        "speaking",
        "appearing",
        "writing",
        "citing",
        "responding",
        "referring",
        "asked",
        "pressed",
        "later",
        "earlier",
        "yesterday",
        "today",
        "last",
        "this",
    ]
)
_NUMBER = (
    r"(?:\d[\d.,]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?)"
)
_QUANTITY = re.compile(
    r"(?i)^(?:(?:about|nearly|almost|roughly|around|over|just|only|more\s+than|less\s+than|"
    r"fewer\s+than|at\s+least|some|a\s+full)\s+)*"
    r"(?:" + _NUMBER + r"\s*(?:%|percent|per\s+cent)|" + _NUMBER + r"\s+(?:in|out\s+of)\s+" + _NUMBER + r"|"
    r"(?:a|one|two|three)[\s-](?:third|quarter|fifth|half)s?|half|a\s+majority|majorities|"
    r"a\s+plurality|most|the\s+majority)"
    r"(?:\s+of\s+(?:the\s+|those\s+|all\s+)?[A-Za-z][\w\s\-]{0,60})?$"
)
_AGED = re.compile(r"^(?:the|a|an)\s+\d{1,3}-year-old$", re.IGNORECASE)
_LOOSE_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "many",
        "some",
        "several",
        "most",
        "his",
        "her",
        "their",
        "its",
        "other",
        "both",
        "all",
        "two",
        "three",
        "four",
        "five",
    ]
)
_LOOSE_PRONOUNS = frozenset(["some", "many", "others", "another", "most", "several", "few", "both"])
_LOOSE_CUES = frozenset(["said", "says", "say", "told", "tells"])
_SPEECH_SUBORDINATORS = frozenset(
    ["because", "when", "after", "before", "although", "though", "since", "while"]
)
_CAP_SUBORDINATOR = re.compile(r"\s*(?:Because|When|After|Before|Although|Though|Since|While)\s+(?=\S)")
_LEADING_CONNECTIVE = re.compile(
    r"\s*(?:But|And|Yet|So|Still|Now|Instead|Meanwhile|Also|Indeed|Then|Plus|Or|Nor|Moreover|Even|"
    r"Nonetheless|Nevertheless|Similarly|Likewise|Separately|Elsewhere|Afterward|Afterwards)\s+(?=\S)"
)
# A capitalised adjective, a lower-case title and a name: "Democratic presidential nominee Jo Ames"
_TITLED_NAME = re.compile(
    r"[A-Z][\w\-]+(?:\s+[a-z][\w\-]+){1,3}(?:\s+[A-Z][\w.\-'\u2019]+){1,3}(?=\s+[a-z(,])"
)
# "a report by Human Rights Watch", "letters from the Syrian foreign ministry"
_DOC_OWNER = re.compile(
    r"\b(?P<doc>report|study|letter|statement|survey|investigation|review|findings|analysis|"
    r"assessment|audit|inquiry)s?\s+(?:by|from)\s+"
    r"(?P<owner>(?:the\s+)?[A-Z][\w.'\u2019&\-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w.'\u2019&\-]*)){0,8})"
)
_CALLED_QUOTE = re.compile(r"\s+(?:[\w'\u2019\-]+\s+){1,6}?(?:''|[\"\u201c])")
_QUOTED_AS = re.compile(
    r"(?P<via>[A-Z][\w.'\u2019&\-]*(?:\s+[A-Z][\w.'\u2019&\-]*){0,4})\s+(?P<cue>quoted)\s+"
    r"(?P<src>[^,;:\"\u201c\u201d]{2,120}?)\s+as\s+saying\b"
)
_POSSESSIVE_WORD = re.compile(r"\w['\u2019]s\b")
_PARTY_TAG = re.compile(r"\s*\([RDI](?:-[A-Z][A-Za-z. ]{0,14})?\)")
_APPOSITION_END = re.compile(r"[,;:()\u2014\"\u201c\u201d]|''|" + _ABBR_STOP + r"|[!?]|$")
_BELIEF_COMPLEMENT = re.compile(r"^\s*(?:to|he|she|they|it|we|I|the|a|there|this)\b|^\s*[A-Z]")
# A finite clause right after a cue: "argued he was wrong", "noted it would cost more".
_CLAUSE_COMPLEMENT = re.compile(
    r"^\s*(?:he|she|they|it|we|I|there|you|his|her|their|its|our|the|this|these|those|[A-Z][a-z]+)\s+"
    r"(?!of\b|to\b|and\b|for\b|in\b|on\b|at\b|with\b|as\b|by\b)[a-z']+"
)
# "asked the mayor whether ...": a question put to an addressee (up to four words long)
_ASK_FORMS = frozenset(["asked", "asks", "asking"])
_ASKED_QUESTION = re.compile(
    r"^\s*(?:[\w.'\u2019\-]+\s+){1,4}?(?:whether|if|how|what|why|who|when|where|which)\b"
)
_CONJ_BEFORE = re.compile(r",?\s+(?:and|but)\s*$")
_PREV_WORD = re.compile(r"([\w'\u2019]+)[^\w,;:\"\u201c\u201d]*$")
_NOT_BEFORE_VERB = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "its",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "as",
        "such",
        "no",
        "any",
        "every",
        "each",
        "some",
        "whose",
        "whom",
        "which",
        "than",
    ]
)
_BASE_FORMS = frozenset(
    [
        "say",
        "tell",
        "state",
        "announce",
        "declare",
        "claim",
        "highlight",
        "warn",
        "deny",
        "confirm",
        "report",
        "tweet",
        "write",
        "demand",
        "urge",
        "reveal",
        "predict",
        "accuse",
        "criticize",
        "criticise",
        "condemn",
        "blame",
        "insist",
        "add",
        "note",
        "argue",
        "explain",
        "acknowledge",
        "stress",
        "emphasize",
        "emphasise",
        "suggest",
        "allege",
        "admit",
        "recall",
        "reply",
        "respond",
        "continue",
        "comment",
        "remark",
        "testify",
        "ask",
        "concede",
        "complain",
        "contend",
        "assert",
        "observe",
        "mention",
        "indicate",
        "agree",
        "counter",
        "joke",
        "boast",
        "caution",
        "conclude",
        "reiterate",
        "repeat",
        "echo",
        "point",
        "maintain",
        "wonder",
        "object",
        "believe",
        "think",
        "want",
        "hope",
        "expect",
        "fear",
        "plan",
        "intend",
        "vow",
        "promise",
        "pledge",
        "feel",
        "worry",
        "doubt",
        "suspect",
        "estimate",
        "show",
        "find",
    ]
)
_AGE_OR_TAG = re.compile(r"^(?:(?:then|now|aged|age)\s+)?(?:\d{1,3}|[RDI]-[A-Z][\w. ]{0,14}|Jr\.?|Sr\.?)$")
_END_OF_STATEMENT = re.compile(r"^[\s.!?\"\u201d\u2019')\]]*$")
_AFTER_CUE_OK = re.compile(
    r"^\s*(?:that\b|:|,|[\"\u201c\u201d\u2018]|[.!?]|$|\u2014|-\s|"
    r"on\s+[A-Z0-9]|(?:in|at|during|after|before|via|through|late|early|last|this|earlier|later|"
    r"yesterday|today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"again|also|repeatedly|publicly|privately|separately|recently|previously|further|"
    r"however|too|in\s+a)\b)"
)
_INVERSION_END = re.compile(
    r"[,;:!?()\[\]\u2014\"\u201c\u201d]|" + _ABBR_STOP + r"|\s-\s|\s+(?:in|on|during|after|before|when|while|"
    r"who|which|as|because|adding|saying|noting|to|last|this|earlier|yesterday|today|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|$"
)
_SPLIT_POINT = re.compile(
    r",\s*(?:while|but|and|whereas|although|though|even\s+as)\s+|;\s*|\s+(?:but|while|whereas)\s+"
)
# "..., adding that ...", '... “New York values,” saying ...' (a comma inside the closing quote)
_PARTICIPLE = re.compile(
    r",\s*(?P<close>''|[\"\u201d])?\s*(?:and\s+)?(?:(?:often|also|repeatedly|again|even|later|then|"
    r"apparently|publicly|privately|first)\s+)?(?P<cue>" + _alternation(W.PARTICIPLE_CUES) + r")\b"
)


def _participle_split(m: re.Match) -> int:
    """Where the participle's statement starts: after the comma, or after the closing quote."""
    return m.end("close") if m.group("close") else m.start() + 1


_NATIONALITY = re.compile(r"(?:an|ian|ese|ish|i|ic|ch)$")
_TERMINAL = re.compile(r"[.!?][\"\u201d\u2019')\]]*$")
_OPENING_QUOTE = re.compile(r"^(?:''|[\"\u201c])")
_TITLE_TOKENS = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Adm|Sgt|Maj|Prof|Rev)\.?|"
    r"President|Senator|Representative|Governor|Secretary|Minister|Prime|General|Judge|"
    r"Justice|Mayor|Ambassador|Sheikh|Ayatollah|King|Queen|Prince|Chancellor|Professor|"
    r"Former|Vice|Deputy|Chief|Speaker|Chairman|Chairwoman|Director)$"
)


def _quote_spans(s: str) -> list[tuple[int, int]]:
    """Spans of double-quoted text in ``s`` (an unclosed quote runs to the end)."""
    spans = []
    open_at = -1
    for m in _QUOTE_CHAR.finditer(s):
        ch = m.group()
        pos = m.start()
        if ch == "\u201c":
            opening = True
        elif ch == "\u201d":
            opening = False
        else:
            prev = s[pos - 1] if pos else " "
            opening = open_at < 0 and (prev.isspace() or prev in "([{\u2014\u2013-:" or pos == 0)
        if opening and open_at < 0:
            open_at = pos
        elif not opening and open_at >= 0:
            spans.append((open_at, m.end()))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at, len(s)))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a < pos < b for a, b in spans)


# --------------------------------------------------------------------------- noun phrases


@dataclass
class NP:
    start: int  # relative to the statement
    end: int
    text: str
    cat: str  # pronoun | named | unnamed | anaphor
    key: str | None = None
    name: str = ""
    proposed: str | None = None
    cls: str = "org"  # person | org | group (for pronoun antecedents)
    sub: int = -1  # where the subordinate clause holding the cue begins ("after X said ...")


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (s[a].isspace() or s[a] in ",;:\"\u201c\u201d'\u2018\u2019(-\u2014"):
        a += 1
    while b > a and (s[b - 1].isspace() or s[b - 1] in ',;:"\u201c\u201d(\u2014-'):
        b -= 1
    return a, b


def _person_like(tokens: list[str]) -> bool:
    caps = [t for t in tokens if t[:1].isupper()]
    if not caps:
        return False
    low = [t.lower().rstrip(".") for t in tokens]
    if any(t in W.PERSON_TITLES for t in low) or any(t in W.ROLE_NOUNS for t in low):
        return not any(t in W.ORG_HINTS for t in low[-2:])
    if any(t in W.ORG_HINTS or t in W.ORG_NOUNS for t in low):
        return False
    last = caps[-1]
    if last.isupper() and len(last) > 1:  # acronym
        return False
    if len(caps) == 1 and last.endswith("s") and not last.endswith("ss"):
        return False  # "Republicans", "Democrats"
    return len(caps) <= 4


def _modifies_next(low: list[str], i: int) -> bool:
    """Is low[i] a pre-modifier of the noun after it ("the fishing fleet", "the elected council")?"""
    if i + 1 >= len(low) or i == 0:
        return False
    nxt, prev = low[i + 1], low[i - 1]
    plain = nxt.isalpha() and nxt not in W.NP_STOP and nxt not in W.POST_MODIFIERS
    return plain and (prev in W.DETERMINERS or prev.isdigit() or prev.endswith(("al", "ern", "ic", "ous")))


def _org_kind(tokens: list[str]) -> str:
    for t in reversed(tokens):
        kind = W.ORG_HINTS.get(t.lower().rstrip("."))
        if kind:
            return kind
    return "other"


def _clean_name(tokens: list[str]) -> str:
    """The name inside a description: "longtime pollster Pat Smith" -> "Pat Smith"."""
    # the trailing run of capitalised tokens (allowing inner "of", "and", "for", "al-")
    i = len(tokens)
    while i > 0:
        t = tokens[i - 1]
        if (
            t[:1].isupper()
            or t[:1].isdigit()
            or (t in ("of", "and", "for", "the", "de", "al") and i < len(tokens))
        ):
            i -= 1
        else:
            break
    run = tokens[i:]
    while run and run[0] in ("of", "and", "for", "the", "de", "al"):
        run = run[1:]
    if _person_like(run):
        while len(run) > 1 and _TITLE_TOKENS.match(run[0]):
            run = run[1:]
    name = " ".join(run) if run else " ".join(tokens)
    return name.rstrip(".,") if not name.endswith(("Jr.", "Sr.", "Inc.")) else name


class _Analyser:
    """Classifies candidate speaker noun phrases for one article."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def analyse_loose(self, s: str, a: int, b: int, sentence_start: bool = False) -> NP | None:
        """``analyse``, or else any plain description: "the organizer of the rally" (for "said")."""
        np = self.analyse(s, a, b, sentence_start)
        if np is not None:
            return np
        a, b = _trim(s, a, b)
        words = [m.group() for m in _TOKEN.finditer(s, a, b)]
        if len(words) == 1 and words[0].lower() in _LOOSE_PRONOUNS:
            text = s[a:b]  # "Some said", "Another said", "Others say"
            return NP(
                a, b, text, "unnamed", name=text[:1].upper() + text[1:], proposed=text.lower(), cls="group"
            )
        possessive = any(w.endswith(("'s", "\u2019s")) for w in words[:-1])
        if not 2 <= len(words) <= 10 or not (words[0].lower() in _LOOSE_DETERMINERS or possessive):
            return None
        for w in words:
            lw = w.lower().rstrip(".")
            if w[:1].islower() and (
                lw in W.NP_STOP
                or lw
                in W.LEADING_NON_SUBJECT - {"in", "at", "on", "for", "from", "with", "of", "by", "about"}
                or (lw.endswith("ed") and lw not in W.ADJ_ED)
                or (lw.endswith("ing") and lw not in W.ADJ_ING)
            ):
                return None
        if words[-1][:1].islower() and words[-1].lower() in W.DETERMINERS:
            return None
        text = s[a:b]
        head = words[-1].lower()
        return NP(
            a,
            b,
            text,
            "unnamed",
            name=text[:1].upper() + text[1:],
            proposed=text[:1].lower() + text[1:],
            cls="group" if head.endswith("s") else "person",
        )

    def analyse(
        self, s: str, a: int, b: int, sentence_start: bool = False, lenient: bool = False
    ) -> NP | None:
        a, b = _trim(s, a, b)
        if b <= a or b - a > 320:
            return None
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(s, a, b)]
        if not toks or len(toks) > 30:
            return None
        # end exactly on the last token (keeps "Jr." and the like)
        b = max(b, toks[-1][1]) if toks[-1][1] <= b else toks[-1][1]
        words = [t[2] for t in toks]
        low = [w.lower().rstrip(".") for w in words]
        text = s[a:b]
        if len(words) == 1 and low[0] in W.PRONOUNS and not s[a].isdigit():
            return NP(
                a, b, text, "pronoun", name=words[0], cls="person" if low[0] in W.PERSON_PRONOUNS else "org"
            )
        quantity = _QUANTITY.match(text)  # "More than six in 10" ("than" is no clause word here)
        for i, (w, lw) in enumerate(zip(words, low, strict=True)):
            if lw in W.NP_STOP and (w[:1].islower() or (i == 0 and not w.isupper())) and not quantity:
                return None
        if len(words) == 1 and low[0] in _LOOSE_PRONOUNS:
            return NP(a, b, text, "unnamed", name=text[:1].upper() + text[1:], proposed=low[0], cls="group")
        if _QUANTITY.match(text):
            # "Sixty percent of voters", "six in 10", "most of them": a share of a group
            return NP(
                a, b, text, "unnamed", name=text[:1].upper() + text[1:], proposed=text.lower(), cls="group"
            )
        if low[0] in W.LEADING_NON_SUBJECT:
            return None
        if lenient:
            return NP(a, b, text, "named", name=text)
        # the core head: the word before the first post-modifier ("officials familiar with")
        core = len(words)
        for i, lw in enumerate(low[1:], start=1):
            if lw in W.POST_MODIFIERS and not words[i][:1].isupper():
                core = i
                break
        for i, (w, lw) in enumerate(zip(words, low, strict=True)):
            verbish = (lw.endswith("ed") and lw not in W.ADJ_ED) or (
                lw.endswith("ing") and lw not in W.ADJ_ING
            )
            if verbish and w[:1].islower() and "-" not in w:
                if i > core and _modifies_next(low, i):
                    continue  # "a lawyer for the fishing cooperatives": a modifier inside the phrase
                return None
        if words[-1].endswith(("'s", "\u2019s", "s'", "s\u2019")):
            return None
        head, head_low = words[core - 1], low[core - 1]
        resolved = self.lexicon.resolve(text)
        if resolved:
            key, name = resolved
            kind = self.lexicon.kind_of(key)
            cls = "person" if kind == "person" else "org"
            if kind is None:
                cls = "person" if _person_like(words) else "org"
            return NP(a, b, text, "named", key=key, name=name, cls=cls)
        first_low = low[0]
        caps_inside = [
            w
            for i, w in enumerate(words[:core])
            if w[:1].isupper()
            and not (i == 0 and (sentence_start or low[0] in W.DETERMINERS))
            and low[i] not in W.CAP_STOP
        ]
        # Unnamed groups and roles: "Experts", "US officials", "a source close to X".
        if head_low in W.UNNAMED_PLURALS or (
            head_low in W.UNNAMED_SINGULAR and first_low in ("a", "an", "one", "another")
        ):
            modifiers_ok = all(
                not w[:1].isupper()
                or _NATIONALITY.search(lw)
                or (w.isupper() and len(w) <= 5)
                or lw in W.CAP_STOP
                or i == 0
                for i, (w, lw) in enumerate(zip(words[:core], low[:core], strict=True))
            )
            if modifiers_ok:
                descriptor = text
                if first_low == "the":
                    descriptor = text[4:]
                descriptor_low = descriptor[:1].lower() + descriptor[1:]
                cls = "group" if head_low in W.UNNAMED_PLURALS else "person"
                return NP(
                    a,
                    b,
                    text,
                    "unnamed",
                    name=descriptor[:1].upper() + descriptor[1:],
                    proposed=descriptor_low,
                    cls=cls,
                )
        if _AGED.match(text):
            # "the 46-year-old", "a 30-year-old": a person described by age
            if first_low == "the":
                return NP(a, b, text, "anaphor", name=text, proposed="year-old", cls="person")
            name = text[:1].upper() + text[1:]
            return NP(a, b, text, "unnamed", name=name, proposed=text.lower(), cls="person")
        # Definite descriptions: an earlier source ("the report", "the ministry").
        if first_low in W.DEFINITE and not caps_inside:
            if head_low in W.DOC_NOUNS or head_low in W.ORG_NOUNS or head_low in W.ROLE_NOUNS:
                cls = "person" if head_low in W.ROLE_NOUNS else "org"
                return NP(a, b, text, "anaphor", name=text, proposed=head_low, cls=cls)
            return None
        # Documents by a named author: "a report by Global Witness".
        if head_low in W.DOC_NOUNS and core < len(words) and low[core] in ("by", "from"):
            tail = words[core + 1 :]
            if tail and any(w[:1].isupper() for w in tail):
                name = _clean_name(tail)
                return NP(a, b, text, "named", name=name, proposed=_org_kind(tail), cls="org")
            return None
        # Named speakers: a capitalised head, or a role/organisation head with a name in it.
        if head[:1].isupper() and head_low not in W.CAP_STOP:
            if len(words) == 1 and sentence_start and head_low in W.DETERMINERS:
                return None
            if not caps_inside and first_low not in W.DETERMINERS and len(words) != 1:
                return None
            name = _clean_name(words[:core])
            person = _person_like(words[:core])
            return NP(
                a,
                b,
                text,
                "named",
                name=name,
                proposed="person" if person else _org_kind(words[:core]),
                cls="person" if person else "org",
            )
        if caps_inside and (head_low in W.ORG_NOUNS or head_low in W.ROLE_NOUNS):
            if head_low in W.ROLE_NOUNS and head_low not in (
                "president",
                "senator",
                "governor",
                "minister",
                "secretary",
                "leader",
            ):
                # "a Pentagon spokesman": an unnamed person speaking for a named body
                descriptor = text[4:] if first_low == "the" else text
                return NP(
                    a,
                    b,
                    text,
                    "unnamed",
                    name=descriptor[:1].upper() + descriptor[1:],
                    proposed=descriptor[:1].lower() + descriptor[1:],
                    cls="person",
                )
            name = (
                _clean_name(words[:core])
                if head_low in W.ROLE_NOUNS
                else " ".join(words[:core]).removeprefix("the ").removeprefix("The ")
            )
            return NP(
                a,
                b,
                text,
                "named",
                name=name,
                proposed="person" if head_low in W.ROLE_NOUNS else _org_kind(words[:core]),
                cls="person" if head_low in W.ROLE_NOUNS else "org",
            )
        return None


# --------------------------------------------------------------------------- cue matching


@dataclass
class Found:
    np: NP
    cue: str
    cue_start: int  # relative to the statement
    cue_end: int
    rule: str
    confidence: float
    clause_start: int  # where the attributed clause begins (for splitting)
    via: NP | None = None


def _is_document(np: NP) -> bool:
    """Is the speaker a document or study ("the report", "a new Quinnipiac poll")?"""
    if np.cat == "anaphor":
        return np.proposed in W.DOC_NOUNS
    if np.cat in ("named", "unnamed") and np.key is None:
        return np.text.split()[-1].lower() in W.DOC_NOUNS
    return False


def _cue_family(cue: str) -> str:
    word = cue.split()[0].lower()
    if word in W.SAY_ANY:
        return "any"
    if word in W.SAY_OBJECT:
        return "object"
    if word in W.SAY_CLAUSE:
        return "clause"
    if word in W.FINDING:
        return "finding"
    return "belief"


def _last_clause_punct(s: str, lo: int, hi: int, quotes) -> int:
    """Position just after the last clause punctuation mark in s[lo:hi] outside quotes."""
    best = -1
    for m in _CLAUSE_PUNCT.finditer(s, lo, hi):
        best = m.end()
    return best


class _Sentence:
    def __init__(self, analyser: _Analyser, s: str) -> None:
        self.an = analyser
        self.s = s
        self.loose = False  # accept any plain description as the subject (for "said")
        self.quotes = _quote_spans(s)

    def _chunk_start(self, hi: int) -> int:
        """Start of the comma chunk that ends at ``hi``."""
        pos = _last_clause_punct(self.s, 0, hi, self.quotes)
        return 0 if pos < 0 else pos

    def _region_np(self, lo: int, hi: int, sub_ok: bool = False) -> NP | None:
        """The noun phrase ending at ``hi`` after the last clause word in s[lo:hi].

        With ``sub_ok`` a speaker inside a temporal or causal clause counts ("after X said
        ...", "because she said ..."); the NP records where that clause begins.
        """
        s = self.s
        start = lo
        word = ""
        sub = -1
        for m in _BOUNDARY_WORD.finditer(s, lo, hi):
            start = m.end()
            word = m.group()
            sub = m.start()
        if word in _SUBORDINATORS:
            if not (sub_ok and word in _SPEECH_SUBORDINATORS):
                return None  # "which X says ...", "if X says ...": not a claim of the sentence
        else:
            sub = -1
        lead = _LEADING_CONNECTIVE.match(s, start, hi)
        if lead and s[:start].strip() in ("", "\u201c", '"'):
            start = lead.end()  # "But Menendez said ...": the connective is not the subject
        elif start > 0 and s[:start].rstrip().endswith((",", ";")):
            joined = _CLAUSE_CONJUNCTION.match(s, start, hi)
            if joined:
                start = joined.end()  # "..., and Nicklaus said ...": a new clause's subject
        if sub_ok and sub < 0:
            cap = _CAP_SUBORDINATOR.match(s, start, hi)
            if cap:
                sub, start = start, cap.end()
        if not s[start:hi].strip():
            return None
        analyse = self.an.analyse_loose if self.loose else self.an.analyse
        np = analyse(s, start, hi, sentence_start=(s[:start].strip() == ""))
        if np is None:
            # "In 2010 she said ...": a pronoun after a short leading phrase with no comma
            lead = _PP_THEN_PRONOUN.match(s[start:hi])
            if lead:
                np = self.an.analyse(s, start + lead.start("pron"), start + lead.end("pron"))
        if np is not None and sub >= 0:
            np.sub = sub
        return np

    def _chunks(self, hi: int) -> list[tuple[int, int]]:
        """Comma chunks of s[:hi], last first: [(start, end)], ``end`` at the comma."""
        out = []
        end = hi
        while len(out) < 5:
            start = self._chunk_start(end)
            out.append((start, end))
            if start <= 0 or self.s[start - 1] != ",":
                break
            end = start - 1
        return out

    def subject_before(self, pos: int) -> NP | None:
        s = self.s
        left = s[:pos].rstrip()
        if not left:
            return None
        last = left[-1]
        if last == ",":
            # "N, APPOSITION, said" / "N, who ..., said" / "N, in a statement, said"
            chunks = self._chunks(len(left) - 1)
            appositive_end = -1
            for k in range(len(chunks) - 1):
                inner_start, inner_end = chunks[k]
                inner = s[inner_start:inner_end].strip()
                if not inner:
                    return None
                first = inner.split()[0].lower()
                adverbial = first in ("who", "which", "whose") or first in _ADVERBIAL_OPENERS
                if not adverbial and not self._appositive(inner_start, inner_end):
                    return None
                if not adverbial and appositive_end < 0:
                    appositive_end = inner_end
                n_start, n_end = chunks[k + 1]
                n = self._region_np(n_start, n_end)
                if n is not None and (n.cat == "named" or (n.cat in ("anaphor", "unnamed") and adverbial)):
                    if appositive_end > 0:
                        return self._joined(n, appositive_end)
                    if k == 0 and first in ("who", "whose") and not _CUE.search(s, inner_start, inner_end):
                        # "Trump, who was once a pitchman for the brand, said": the clause is his
                        return self._joined(n, inner_end)
                    return n
                if n is not None and n.cat in ("anaphor", "unnamed") and not adverbial:
                    # "the assailant, John Smith, said"
                    if self.an.analyse(s, inner_start, inner_end) is not None:
                        return self._joined(n, appositive_end)
                    if n.cat == "unnamed" and first in ("a", "an") and _CAPITALISED.search(n.text):
                        # "Officials at Homeland Security, a division of the agency, said"
                        return self._joined(n, appositive_end)
                    return None
            return None
        dash = _DASH_END.search(left)
        if dash:
            # "Kall -- co-editor of a book on the debates -- said": an apposition between dashes
            opening = left.rfind(dash.group().strip(), 0, dash.start())
            if opening <= 0:
                return None
            np = self._region_np(self._chunk_start(opening), opening)
            if np is None or np.cat not in ("named", "unnamed", "anaphor"):
                return None
            return self._joined(np, len(left))
        if not (last.isalnum() or last in ".'\u2019)"):
            return None
        chunk = self._chunk_start(len(left))
        words = s[chunk:pos].split()
        first_word = words[0].lower() if words else ""
        if (
            first_word in _ADVERBIAL_OPENERS
            and chunk > 0
            and s[chunk - 1] == ","
            and not _QUANTITY.match(s[chunk:pos].strip())  # "In Vermont, about half of voters said"
        ):
            # an adverbial phrase between subject and verb: "X, in two letters to Y stated"
            n_end = chunk - 1
            np = self._region_np(self._chunk_start(n_end), n_end)
            return np if np and np.cat in ("named", "unnamed") else None
        np = self._region_np(chunk, len(left), sub_ok=True)
        if np is None:
            return None
        # apposition before the subject: "Tass, a Russian news agency highlighted"
        indefinite = s[np.start : np.start + 2].lower() in ("a ", "an")
        if np.cat in ("named", "unnamed") and indefinite and chunk > 0 and s[chunk - 1] == ",":
            prev = self._region_np(self._chunk_start(chunk - 1), chunk - 1)
            if prev is not None and prev.cat == "named" and prev.end <= chunk - 1:
                return self._joined(prev, np.end)
        return np

    def initial_subject(self) -> NP | None:
        """The subject at the start of the main clause: "Trump mocked X, saying ..."."""
        if hasattr(self, "_initial"):
            return self._initial
        s = self.s
        self._initial = None
        starts = [0]
        for m in re.finditer(r",\s*", s[:200]):
            if len(starts) < 3 and not _inside(self.quotes, m.start()):
                starts.append(m.end())
        for i, p in enumerate(starts):
            lead = _LEADING_CONNECTIVE.match(s, p)
            if lead:
                p = lead.end()  # "But the court ruled and said ..."
            first = s[p : p + 30].split()[:1]
            if not first:
                break
            if i < len(starts) - 1 and first[0].lower() in _ADVERBIAL_OPENERS | {
                "while",
                "when",
                "after",
                "as",
                "before",
                "though",
                "although",
                "if",
            }:
                continue  # an introductory phrase: the subject comes after the comma
            toks = list(_TOKEN.finditer(s, p, min(len(s), p + 160)))[:9]
            best = None
            for j in range(1, len(toks)):
                nxt = toks[j].group()
                if not nxt[:1].islower() or nxt.lower() in (
                    "of",
                    "for",
                    "and",
                    "at",
                    "in",
                    "on",
                    "from",
                    "to",
                    "with",
                    "who",
                    "which",
                ):
                    continue
                if nxt.lower() in W.ROLE_NOUNS or nxt.lower() in W.ORG_NOUNS:
                    continue  # "The French minister ...": the phrase goes on
                if s[toks[j - 1].end() : toks[j].start()].strip():
                    break  # punctuation: no longer one phrase
                np = self.an.analyse(s, p, toks[j - 1].end(), sentence_start=(p == 0))
                if np is not None and np.cat in ("named", "pronoun", "unnamed", "anaphor"):
                    best = np  # and go on: "Many residents" beats "Many"
                elif best is not None:
                    break
            if best is not None and best.cat == "named" and len(best.text.split()) == 1:
                # "Democratic presidential nominee Jo Ames ...": a title before the name
                longer = _TITLED_NAME.match(s, p)
                if longer:
                    np = self.an.analyse(s, p, longer.end(), sentence_start=(p == 0))
                    if np is not None and np.cat == "named" and np.cls == "person":
                        best = np
            self._initial = best
            break
        return self._initial

    def _appositive(self, a: int, b: int) -> bool:
        """Is s[a:b] a description of the name before it ("a spokesman", "49", "R-Texas")?"""
        text = self.s[a:b].strip()
        if not text or len(text) > 150:
            return False
        if _AGE_OR_TAG.match(text):
            return True
        if self.an.analyse(self.s, a, b, lenient=True) is not None:
            return True
        # "a lawyer who has filed many of the suits": a description with a relative clause
        rel = _RELATIVE_IN.search(self.s, a, b)
        return (
            bool(rel)
            and rel.start() - a > 3
            and self.an.analyse(self.s, a, rel.start(), lenient=True) is not None
        )

    def _joined(self, n: NP, end: int) -> NP:
        a, b = _trim(self.s, n.start, end)
        text = self.s[a:b]
        resolved = self.an.lexicon.resolve(text)
        if resolved and not n.key:
            n = NP(n.start, n.end, n.text, "named", key=resolved[0], name=resolved[1], cls=n.cls)
        elif n.cat in ("unnamed", "anaphor") and "," in text:
            # "A lawyer for the cooperatives, Tomas Berg": the apposition is the speaker's name
            tail = text.rsplit(",", 1)[1].split()
            if 2 <= len(tail) <= 4 and all(t[:1].isupper() for t in tail) and _person_like(tail):
                name = " ".join(tail).rstrip(".,")
                key = self.an.lexicon.resolve(name)
                n = NP(
                    n.start,
                    n.end,
                    n.text,
                    "named",
                    key=key[0] if key else None,
                    name=name,
                    proposed="person",
                    cls="person",
                )
                if key:
                    n.name = key[1]
        return NP(a, b, text, n.cat, key=n.key, name=n.name, proposed=n.proposed, cls=n.cls)

    def subject_after(self, cue_end: int, cue_start: int) -> NP | None:
        s = self.s
        left = s[:cue_start].rstrip()
        if not left or left[-1] not in ",\u201d\"\u2014'":
            return None
        m = _INVERSION_END.search(s, cue_end)
        end = m.start() if m else len(s)
        np = self.an.analyse(s, cue_end, end)
        if np is None:
            return None
        tag = _PARTY_TAG.match(s, np.end)
        if tag and np.cat == "named":  # 'said Rep. Jo Ames (D-Ore.), a ...': the tag is part of it
            np = self._joined(np, tag.end())
        # apposition: '..., said John Smith, a spokesman for the ministry.'
        rest = s[np.end :]
        if rest.startswith(",") and np.cat in ("named", "anaphor", "unnamed"):
            stop = _APPOSITION_END.search(s, np.end + 1)
            body_end = stop.start() if stop else len(s)
            body = s[np.end + 1 : body_end].strip()
            first = body.split()[0].lower() if body else ""
            if (
                body
                and first not in ("who", "which", "whose", "adding", "saying")
                and not (first.endswith(("ing", "ed")) and first not in W.ADJ_ED and first not in W.ADJ_ING)
                and first not in ("clad", "speaking", "whose")
                and self._appositive(np.end + 1, body_end)
            ):  # (not '..., said Jo Ames, referring to the plan': a participle phrase)
                if _AGE_OR_TAG.match(body) and s.startswith(",", body_end):
                    # 'said Jo Ames, 32, a former aide': the age, then the description
                    after = _APPOSITION_END.search(s, body_end + 1)
                    after_end = after.start() if after else len(s)
                    if s[body_end + 1 : after_end].strip() and self._appositive(body_end + 1, after_end):
                        body_end = after_end
                return self._joined(np, body_end)
            if body.split()[:1] == ["who"] and np.cat == "named" and len(body.split()) >= 3:
                # '..., said Jo Ames, who runs the clinic.': the relative clause describes the speaker
                return self._joined(np, body_end)
        return np

    def cue_matches(self):
        if _CUE_WORDS.isdisjoint(_WORD_SPLIT.split(self.s)):
            return  # (cheap test first: no cue word, no match)
        found = 0
        for m in _CUE.finditer(self.s):
            start = m.start("cue")
            if _inside(self.quotes, start):
                continue
            yield m
            found += 1
            if found >= MAX_CUES_PER_SENTENCE:
                return  # not prose: each cue costs a look over the sentence, so stop here

    def find_all(self) -> list[Found]:
        """Every cue in the sentence with a plausible speaker, in text order."""
        s = self.s
        out: list[Found] = []
        for m in self.cue_matches():
            cue = m.group("cue")
            cue_low = cue.lower()
            family = _cue_family(cue_low)
            first = cue_low.split()[0]
            aux = (m.group("aux") or "").split()
            # passive "was told", "is expected", "is believed": not the subject's speech
            if (
                aux
                and aux[-1].lower() in ("is", "was", "are", "were", "been", "being", "be")
                and first in W.PAST_PARTICIPLES
            ):
                continue
            if first in ("pointed", "points") and not cue_low.endswith("out"):
                continue
            if first in ("called", "calls") and not _CALLED_QUOTE.match(s, m.end("cue")):
                continue  # only "called the report 'a fabrication'": naming it in quoted words
            if cue_low.endswith((" for", " on")) and first not in ("called", "calls", "call", "calling"):
                cue = cue.split()[0]
                cue_low = cue.lower()
            cue_start = m.start("cue")
            cue_end = cue_start + len(cue)
            after = s[cue_end:]
            prev_word = _PREV_WORD.search(s, 0, m.start())
            prev_low = prev_word.group(1).lower() if prev_word else ""
            if aux and aux[0][:1] in "'\u2019" and aux[0][1:] == "s" and first not in W.PAST_PARTICIPLES:
                continue  # "Clinton's comments", "the agency's reports": a noun, not a verb
            if prev_low == "by" and first.endswith("ing") and (ini := self.initial_subject()) is not None:
                if ini.end < m.start() and not _inside(self.quotes, cue_start):
                    # "A Chinese official responded by saying ...": the sentence's subject speaks
                    out.append(Found(ini, cue, cue_start, cue_end, "say-verb-pre", 0.7, ini.start))
                continue
            if prev_low in _NOT_BEFORE_VERB and not (prev_low in _LOOSE_PRONOUNS and first in _LOOSE_CUES):
                continue  # "the state", "to say", "his claims": not a speech verb here
            if prev_low == "who" and family != "finding":
                found = self._relative(prev_word.start(1), cue, cue_start, cue_end, family, after)
                if found is not None:
                    out.append(found)
                continue
            if first.endswith("ing") and not aux and s[: m.start()].rstrip().endswith(","):
                continue  # "..., saying ...": a participle clause (the participle rule's job)
            np = self.subject_before(m.start())
            if np is None and (first in _LOOSE_CUES or family in ("finding", "object", "clause")):
                self.loose = True
                np = self.subject_before(m.start())
                self.loose = False
                if (
                    np is not None
                    and first not in _LOOSE_CUES
                    and family != "finding"
                    and not _POSSESSIVE_WORD.search(np.text)
                ):
                    np = None  # beyond "said": only a possessive description ("Turkey's minister")
            if np is None and family == "finding":
                np = self.finding_subject(m.start())
            rule = "say-verb-pre"
            if np is not None:
                if (
                    _END_OF_STATEMENT.match(after)
                    or (
                        _POST_AFTER.match(after)
                        and cue_start > 10
                        and not after.lstrip().startswith(("that", ", that"))
                        and not _CLAUSE_SOON.search(after[:60])
                        and self._content_before(np.start)
                    )
                    or (
                        # "This is not about me, Obama told his advisers.": an addressee, then the end
                        first in ("told", "tells")
                        and s[: np.start].rstrip().endswith(",")
                        and self._content_before(np.start)
                        and _TOLD_TAIL.match(after)
                    )
                    or (
                        # '“...,” Kiedis said, mentioning that ...', '“...,” Trump told a host':
                        # the quote just closed is his
                        _OPENING_QUOTE.match(s)
                        and _QUOTE_END.search(s[: np.start].rstrip())
                        and (_POST_AFTER.match(after) or first in ("told", "tells"))
                    )
                ):
                    rule = "say-verb-post"
            elif (
                _CONJ_BEFORE.search(s, 0, m.start())
                and (ini := self.initial_subject()) is not None
                and ini.end < m.start()
            ):
                # "He visited the plant and said ...": the subject of the first verb
                np = ini
                conj = _CONJ_BEFORE.search(s, 0, m.start())
                if family == "clause" and not _AFTER_CUE_OK.match(after):
                    continue
                if family == "finding" and not _is_document(np):
                    continue  # "... and found it before the plane took off": not a study's finding
                out.append(
                    Found(
                        np,
                        cue,
                        cue_start,
                        cue_end,
                        "say-verb-pre" if family != "belief" else "belief-cue",
                        0.7,
                        conj.start(),
                    )
                )
                continue
            else:
                if first in ("told", "tells", "tell", "telling") or first in W.BELIEF:
                    continue
                np = self.subject_after(cue_end, m.start())
                rule = "say-verb-post"
                if np is None:
                    continue
            if first in _BASE_FORMS and not aux:
                # "they say", "experts claim"; not "the state" or "a report"
                head = np.text.split()[-1].lower()
                if (
                    not (np.cat == "pronoun" and head in ("they", "we", "i", "you"))
                    and not (np.cat == "unnamed" and _QUANTITY.match(np.text))
                    and not (head.endswith("s") and not head.endswith("ss") and np.cat != "named")
                    and not (np.cat == "named" and np.text.lower().endswith(("s", " and")))
                ):
                    continue
                if first not in W.SAY_ANY and family not in ("clause", "object", "belief", "finding"):
                    continue
            if rule == "say-verb-pre":
                if (
                    family in ("clause", "belief")
                    and not _AFTER_CUE_OK.match(after)
                    and not (family == "belief" and _BELIEF_COMPLEMENT.match(after))
                    and not (
                        family == "clause" and _CLAUSE_COMPLEMENT.match(after) and first not in W.OBJECT_FIRST
                    )
                    and not (first in _ASK_FORMS and not _is_document(np) and _ASKED_QUESTION.match(after))
                    and not (first in ("reported", "reports") and np.cat == "named" and np.key)
                ):
                    continue  # (a source in the registry "reported shelling near the town": a report)
                if (
                    family == "object"
                    and not _AFTER_CUE_OK.match(after)
                    and np.cat not in ("named", "pronoun", "anaphor", "unnamed")
                ):
                    continue
            if family == "finding" and not _is_document(np):
                np = self.finding_subject(m.start())
                if np is None:
                    continue  # "the poll shows", "a new Pew survey found": only documents and studies
            conf = {"any": 0.9, "object": 0.8, "clause": 0.85, "belief": 0.5, "finding": 0.55}[family]
            if np.cat == "pronoun" or np.cat == "unnamed":
                conf -= 0.1
            elif np.cat == "anaphor":
                conf -= 0.15
            if family == "belief" and (
                re.match(r"\s*to\b", after)
                or (
                    np.cat != "named"
                    and not re.match(r"\s*that\b", after)
                    and not _PRONOUN_CLAUSE.match(after)
                    and not _CLAUSE_COMPLEMENT.match(after)
                )
            ):
                continue  # "wants to ...", "plans to ...": intentions are too often not attributions
            if family == "belief":
                rule = "belief-cue"
            elif family == "finding":
                rule = "finding"
            clause = np.start if rule != "say-verb-post" else 0
            out.append(Found(np, cue, cue_start, cue_end, rule, round(conf, 2), clause))
        return out

    def finding_subject(self, pos: int) -> NP | None:
        """A study or record as the subject: "A 2014 study that appeared in X found ..."."""
        s = self.s
        left = s[:pos].rstrip()
        if not left or not (left[-1].isalnum() or left[-1] in ".)"):
            return None
        start = self._chunk_start(len(left))
        lead = _LEADING_CONNECTIVE.match(s, start, len(left))
        if lead:
            start = lead.end()
        a, b = _trim(s, start, len(left))
        toks = [m.group() for m in _TOKEN.finditer(s, a, b)]
        if not toks or len(toks) > 18 or toks[0].lower() in W.LEADING_NON_SUBJECT:
            return None
        head = -1
        for i, t in enumerate(toks[:8]):
            low = t.lower()
            if low in ("that", "which", "who") or (i and low in ("of", "from", "by") and head >= 0):
                break
            if low in W.FINDING_NOUNS or low in W.DOC_NOUNS:
                head = i
        if head < 0:
            return None
        text = s[a:b]
        return NP(
            a, b, text, "unnamed", name=text[:1].upper() + text[1:], proposed=text[:1].lower() + text[1:]
        )

    def _relative(self, who: int, cue: str, cue_start: int, cue_end: int, family: str, after: str):
        """'X, who said C': the relative pronoun is the source mention, X its antecedent."""
        if family == "clause" and not (_AFTER_CUE_OK.match(after) or _CLAUSE_COMPLEMENT.match(after)):
            return None
        if family == "belief":
            return None  # "who wanted to attend ...": a relative clause describing, not a belief held
        if family == "object" and not _AFTER_CUE_OK.match(after):
            return None
        s = self.s
        left = s[:who].rstrip()
        if left.endswith(","):
            left = left[:-1].rstrip()
        ante = None
        if left:
            lo = self._chunk_start(len(left))
            toks = list(_TOKEN.finditer(s, lo, len(left)))[-6:]
            for t in toks:  # the longest trailing phrase that is a speaker: "backed by [Lena Park]"
                ante = self.an.analyse(s, t.start(), len(left))
                if ante is not None and ante.cat != "pronoun":
                    break
                ante = None
        np = NP(
            who,
            who + 3,
            s[who : who + 3],
            "pronoun",
            key=ante.key if ante else None,
            name=ante.name if ante else s[who : who + 3],
            proposed="relative",
            cls=ante.cls if ante else "person",
        )
        rule = "belief-cue" if family == "belief" else "relative"
        return Found(np, cue, cue_start, cue_end, rule, 0.5 if family == "belief" else 0.7, who)

    def _content_before(self, pos: int) -> bool:
        before = self.s[:pos].rstrip()
        if _QUOTE_END.search(before) and _OPENING_QUOTE.match(self.s):
            return True  # "“I would,” she said to him.": a short quote is content too
        return len(before.split()) >= 3

    def according(self) -> Found | None:
        s = self.s
        for m in _ACCORDING.finditer(s):
            if _inside(self.quotes, m.start()):
                continue
            e = _ACCORDING_END.search(s, m.end())
            end = e.start() if e else len(s)
            np = self.an.analyse(s, m.end(), end)
            if np is None:
                # "according to exit polls", "according to a congressional report": any noun
                # phrase will do after this cue
                np = self.an.analyse(s, m.end(), end, lenient=True)
                if np is None or not _ACCORDING_NP.match(np.text):
                    continue
            if e and e.group().strip() in _ACCORDING_MODIFIERS:
                # "according to a person who attended", "according to data released Friday by
                # the regulator": the description runs to the end of the phrase
                stop = _ACCORDING_PHRASE_END.search(s, e.end())
                full_end = _trim(s, np.start, stop.start() if stop else len(s))[1]
                if len(_TOKEN.findall(s, np.start, full_end)) <= 20:
                    np = NP(
                        np.start,
                        full_end,
                        s[np.start : full_end],
                        np.cat,
                        np.key,
                        np.name,
                        np.proposed,
                        np.cls,
                    )
            cue_start = m.start()
            cue_end = m.end() - 1
            while s[cue_end - 1].isspace():
                cue_end -= 1
            return Found(
                np,
                s[cue_start:cue_end],
                cue_start,
                cue_end,
                "according-to",
                0.9 if np.cat == "named" else 0.75,
                0,
            )
        return None


# --------------------------------------------------------------------------- article


class _History:
    """Recent source mentions, for pronouns and definite descriptions."""

    def __init__(self) -> None:
        self.items: list[tuple[int, Mention, str]] = []  # (statement index, mention, class)
        self.documents: list[tuple[int, str, Mention]] = []  # (statement index, "report", its issuer)

    def add(self, index: int, mention: Mention, cls: str) -> None:
        self.items.append((index, mention, cls))

    def pronoun(self, index: int, cls: str) -> Mention | None:
        for i, mention, c in reversed(self.items):
            if index - i > 8:
                return None
            if mention.kind == "pronoun" and not mention.key:
                continue
            if cls == "person" and c == "person":
                return mention
            if cls == "org" and c in ("org", "group"):
                return mention
        return None

    def owner_of(self, index: int, doc: str) -> Mention | None:
        """Who issued "the report" when the text named it earlier ("a report by Amnesty")."""
        doc = doc.rstrip("s")
        for i, noun, mention in reversed(self.documents):
            if index - i > 12:
                return None
            if noun == doc:
                return mention
        return None

    def note_documents(self, index: int, s: str, offset: int, lexicon: Lexicon) -> None:
        for m in _DOC_OWNER.finditer(s):
            words = m.group("owner").split()
            while words and words[-1].lower() in ("of", "for", "and", "the", "on"):
                words.pop()
            for n in range(len(words), 0, -1):
                text = " ".join(words[:n])
                hit = lexicon.resolve(text)
                if hit:
                    start = offset + m.start("owner")
                    mention = Mention(text, start, start + len(text), hit[0], hit[1], "named", None)
                    self.documents.append((index, m.group("doc").lower().rstrip("s"), mention))
                    break

    def newer(self, document_owner: Mention, speaker: Mention) -> bool:
        """Was the issuer of a document named after ``speaker`` was last quoted?"""
        return document_owner.start > speaker.start

    def last(self, index: int, window: int = 4) -> Mention | None:
        for i, mention, _ in reversed(self.items):
            if index - i > window:
                return None
            if mention.key or mention.kind in ("named", "unnamed"):
                return mention
        return None

    def of_kind(self, index: int, kinds: frozenset[str], lexicon: Lexicon, window: int = 6) -> Mention | None:
        """The most recent named body whose registry (or proposed) kind is one of ``kinds``."""
        for i, mention, cls in reversed(self.items):
            if index - i > window:
                return None
            if cls == "person" or mention.kind not in ("named", "carried"):
                continue
            kind = lexicon.kind_of(mention.key) if mention.key else mention.proposed_kind
            if kind in kinds:
                return mention
        return None

    def with_word(self, index: int, word: str, cls: str) -> Mention | None:
        for i, mention, _c in reversed(self.items):
            if index - i > 10:
                return None
            if word in mention.name.lower() or word in mention.text.lower():
                return mention
        return None


def _mention(np: NP, offset: int, lexicon: Lexicon) -> Mention:
    text_start, text_end = offset + np.start, offset + np.end
    if np.cat == "named":
        return Mention(
            np.text,
            text_start,
            text_end,
            np.key,
            np.name if np.key else np.name or np.text,
            "named",
            None if np.key else np.proposed,
        )
    if np.cat == "unnamed":
        return Mention(np.text, text_start, text_end, None, np.name, "unnamed", np.proposed)
    if np.cat == "pronoun":
        if np.proposed == "relative":
            return Mention(np.text, text_start, text_end, np.key, np.name, "pronoun", None)
        return Mention(np.text, text_start, text_end, None, np.text, "pronoun", None)
    return Mention(np.text, text_start, text_end, None, np.text, "carried", None)


def _is_title(text: str, seg) -> bool:
    if seg.paragraph != 0:
        return False
    return "\n" not in text[seg.start : seg.end]


# "SMITH: Well, ..." / "Jo Ames: ..." at the start of a paragraph or a headline: a speaker label
_LABEL = re.compile(
    r"^\s*(?:''|[\"\u201c])?\s*(?P<np>[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})\s*:\s+(?=\S)"
)


_LABEL_FUNCTION_WORDS = _set_of("over of on for in and the to with at by from against after about as")


def _speaker_label(sentence: _Sentence, offset: int, lexicon: Lexicon, history: _History, index: int):
    """The suggestion for a paragraph opened by a speaker's name and a colon, or None."""
    m = _LABEL.match(sentence.s)
    if m is None:
        return None
    words = m.group("np").split()
    low = [w.lower().rstrip(".") for w in words]
    if (len(words) == 1 and len(words[0]) < 2) or any(w in W.LABEL_STOP for w in low):
        return None
    start, end = m.start("np"), m.end("np")
    if len(words) == 1 and low[0] in W.DOC_NOUNS:
        # "Poll: ...": the study speaks
        text = sentence.s[start:end]
        np = NP(start, end, text, "unnamed", name=text, proposed=low[0], cls="org")
    else:
        np = sentence.an.analyse(sentence.s, start, end, sentence_start=True)
    if np is None or np.cat not in ("named", "unnamed"):
        return None
    if np.key is None and any(w in _LABEL_FUNCTION_WORDS for w in low[1:]):
        return None  # "Stealth Over Health: ...": a title's phrase, not a name
    said = sentence.s[m.end() :]
    said_words = said.split()
    if len(said_words) < 4 or (
        said.count(",") >= 3 and sum(w[:1].isupper() for w in said_words) > 0.6 * len(said_words)
    ):
        return None  # "Sanders: 46.", "Iowa: Ann Lee, Bo Diaz, ...": a tally or a list, not speech
    colon = m.end("np") + sentence.s[m.end("np") :].index(":")
    f = Found(np, ":", colon, colon + 1, "speaker-label", 0.75 if np.cat == "named" else 0.6, 0)
    return _suggest(f, sentence.s, offset, lexicon, history, index)


def _under_label(sugg, label: Suggestion):
    """A statement in a labelled paragraph: the label's speaker is who the text quotes."""
    if sugg is None:
        return Suggestion(label.source, None, label.cue, label.cue_start, label.cue_end, 0.6, "speaker-label")
    if sugg is _FRAME or sugg.via is not None or sugg.source.start == label.source.start:
        return sugg
    # "TAPPER: The senator said ...": the senator's claim, reported via the speaker
    return Suggestion(
        sugg.source, label.source, sugg.cue, sugg.cue_start, sugg.cue_end, sugg.confidence, sugg.rule
    )


_TITLE_WORD = re.compile(r"(?<=\s)[A-Z][a-z]+\b(?![\-\u2019'])")
_TITLE_LOWER = (
    _ALL_CUES
    | W.PARTICIPLE_CUES
    | frozenset(form for verbs in W.STANCE_PHRASES for form in verbs.split())
    | frozenset(tail for tails in W.STANCE_PHRASES.values() for tail in tails if tail)
    | _set_of(
        "to of the on for in and as at by with from after over about is are was were will could "
        "would has have be a an that its his her their amid against into during"
    )
)


def _detitle(s: str) -> str:
    """A Title Case headline with its cue and function words in lower case (same offsets)."""
    words = s.split()
    if len(words) < 3 or sum(w[:1].isupper() for w in words) < 0.7 * len(words):
        return s
    return _TITLE_WORD.sub(lambda m: m.group().lower() if m.group().lower() in _TITLE_LOWER else m.group(), s)


def _is_bare_quote(s: str) -> bool:
    return bool(_OPENING_QUOTE.match(s))


def extract(text: str, lexicon: Lexicon | None = None) -> list[StatementResult]:
    """Every statement of ``text`` in order, each with its suggested attribution or None."""
    if lexicon is None:
        lexicon = _default_lexicon()
    analyser = _Analyser(lexicon)
    history = _History()
    results: list[StatementResult] = []
    prev: StatementResult | None = None
    pending: Suggestion | None = None  # "X said:" waiting for its quote
    carry: tuple[Suggestion, int] | None = None  # the last statement's speaker, for bare quotes
    label: tuple[Suggestion, int] | None = None  # "SMITH: ..." speaks for the rest of its paragraph
    last_paragraph = -1
    for seg in split_sentences(text):
        s = text[seg.start : seg.end]
        sentence = _Sentence(analyser, s)
        history.note_documents(len(results), s, seg.start, lexicon)
        first_in_paragraph = seg.paragraph != last_paragraph
        last_paragraph = seg.paragraph
        title = _is_title(text, seg)
        if title:
            sentence = _Sentence(analyser, _detitle(s))
        if first_in_paragraph:
            label = None
            found_label = _speaker_label(sentence, seg.start, lexicon, history, len(results))
            if found_label is not None:
                label = (found_label, seg.paragraph)
        if title:
            # A headline is a statement only when it attributes its claim ("Trump: ...",
            # "Senator says ..."); otherwise it stays the article's title.
            parts = _attribute(sentence, seg.start, lexicon, history, len(results))
            if label is not None:
                parts = [(0, len(s), label[0])]
            if not any(p[2] is not None and p[2] is not _FRAME for p in parts):
                label = None
                continue
            for rel_start, rel_end, sugg in parts:
                frame = sugg is _FRAME
                results.append(
                    StatementResult(
                        seg.start + rel_start,
                        seg.start + rel_end,
                        seg.paragraph,
                        len(results),
                        None if frame else sugg,
                        frame=frame,
                    )
                )
            label = None
            continue
        dateline = _DATELINE.match(s)
        if dateline and dateline.end() < len(s):
            # "WASHINGTON (AP) — Trump said ...": the dateline stays in the statement, but the
            # sentence's subject comes after it
            d = dateline.end()
            inner = _attribute(_Sentence(analyser, s[d:]), seg.start + d, lexicon, history, len(results))
            parts = [(a + d if i else 0, b + d, sugg) for i, (a, b, sugg) in enumerate(inner)]
        else:
            parts = _attribute(sentence, seg.start, lexicon, history, len(results))
        if label is not None and "\n" in text[label[0].cue_end : seg.start]:
            label = None  # a label speaks for the rest of its line ("NAME: ..."), not what follows
        if label is not None:
            if first_in_paragraph and all(p[2] is None or p[2] is _FRAME for p in parts):
                parts = [(0, len(s), label[0])]
            else:  # the label alone ("HOST:") introduces the statement after it
                cue_end = label[0].cue_end - seg.start
                parts = [
                    (a, b, _FRAME if sugg is None and b <= cue_end else _under_label(sugg, label[0]))
                    for a, b, sugg in parts
                ]
        for rel_start, rel_end, sugg in parts:
            index = len(results)
            frame = sugg is _FRAME
            if frame:
                sugg = None
            if sugg is None and pending is not None and prev is not None:
                sugg = Suggestion(
                    pending.source,
                    pending.via,
                    pending.cue,
                    pending.cue_start,
                    pending.cue_end,
                    round(pending.confidence - 0.1, 2),
                    "colon-quote",
                )
            pending = None
            if (
                sugg is None
                and carry is not None
                and _is_bare_quote(s[rel_start:rel_end])
                and seg.paragraph - carry[1] <= 1
            ):
                p = carry[0]
                sugg = Suggestion(p.source, p.via, p.cue, p.cue_start, p.cue_end, 0.6, "carry-over")
            if (
                sugg is not None
                and s[rel_start:rel_end].rstrip().endswith(":")
                and sugg.rule in ("say-verb-pre", "say-verb-post")
            ):
                # "X said:" - the quote that follows is the statement
                pending = sugg
                rest = text[sugg.cue_end : seg.start + rel_end]
                if len(rest.split()) <= 6 and not _QUOTE_CHAR.search(rest):
                    sugg = None  # nothing but the frame here: the claim is the next statement
            result = StatementResult(
                seg.start + rel_start,
                seg.start + rel_end,
                seg.paragraph,
                index,
                sugg,
                frame=frame and sugg is None,
            )
            results.append(result)
            prev = result
            if not result.frame:  # a frame ("..., X said in a statement.") keeps the quote's speaker
                carry = (sugg, seg.paragraph) if sugg is not None else None
            if sugg is not None and sugg.rule == "quote-credit" and not _QUOTE_START.match(s[rel_start:]):
                _credit_back(text, results)
    return results


_QUOTE_START = re.compile(r"\s*(?:''|[\"\u201c\u201d])")


def _credit_back(text: str, results: list[StatementResult]) -> None:
    """'“A. B. C.” ― Name' split over statements: the earlier ones of the quote are Name's too."""
    last = results[-1]
    quoted: list[StatementResult] = []
    for earlier in reversed(results[:-1]):
        if earlier.paragraph != last.paragraph or earlier.suggestion is not None or earlier.frame:
            return  # no opening quote in reach: leave the statements alone
        quoted.append(earlier)
        if _QUOTE_START.match(text, earlier.start):
            break  # the quotation opens here
    else:
        return
    for earlier in quoted:
        earlier.suggestion = Suggestion(**{**last.suggestion.__dict__, "confidence": 0.6})


def _attribute(sentence: _Sentence, offset: int, lexicon: Lexicon, history: _History, index: int):
    """Split one sentence into statements and attribute each: [(start, end, Suggestion|None)]."""
    s = sentence.s
    # '“...” ― Carla Sanchez.': a quotation credited after a dash
    credit = _QUOTE_CREDIT.search(s)
    if credit and not _inside(sentence.quotes, credit.start("np")):
        end = credit.end("np")
        if s[end - 1] == "." and not re.search(r"\b(?:[A-Z]|Jr|Sr)\.$", s[:end]):
            end -= 1  # the sentence's full stop, not an initial
        np = sentence.an.analyse(s, credit.start("np"), end, sentence_start=True)
        if np is not None and np.cat == "named":
            dash = credit.start("dash")
            f = Found(np, s[dash : dash + 1], dash, dash + 1, "quote-credit", 0.7, 0)
            return [(0, len(s), _suggest(f, s, offset, lexicon, history, index))]
    # "..., TASS quoted the defence ministry as saying": the ministry's claim, via TASS
    q = _QUOTED_AS.search(s)
    if q and not _inside(sentence.quotes, q.start("cue")):
        via_np = sentence.an.analyse(s, q.start("via"), q.end("via"))
        src_np = sentence.an.analyse_loose(s, q.start("src"), q.end("src"))
        if (
            via_np is not None
            and src_np is not None
            and via_np.cat == "named"
            and src_np.cat in ("named", "unnamed", "anaphor")
        ):
            f = Found(src_np, "quoted", q.start("cue"), q.end("cue"), "nested", 0.8, 0, via=via_np)
            return [(0, len(s), _suggest(f, s, offset, lexicon, history, index))]
    found = sentence.find_all()
    acc = sentence.according()
    items: list[Found] = []
    if acc is not None:
        inner = [
            f
            for f in found
            if f.cue_start > acc.cue_end
            and f.rule in ("say-verb-pre",)
            and f.np.cat in ("named", "unnamed", "anaphor")
        ]
        if acc.cue_start < 3 and inner:
            f = inner[0]
            items.append(Found(f.np, f.cue, f.cue_start, f.cue_end, "nested", 0.85, 0, via=acc.np))
        else:
            items.append(acc)
        found = [
            f
            for f in found
            if not (acc.cue_start <= f.cue_start <= acc.cue_end + 80 and f.cue_start > acc.cue_start)
        ]
        found = [f for f in found if f.cue_start < acc.cue_start]
        items = found[:1] + items if found and found[0].cue_start < acc.cue_start else items
    else:
        items = found
    # any verb right after a closing quote and its speaker: "“...,” she exclaimed."
    if not items:
        q = _QUOTE_THEN_SPEAKER.search(s)
        if q and not _inside(sentence.quotes, q.start("np")):
            np = sentence.an.analyse(s, q.start("np"), q.end("np"))
            if np is not None and np.cat in ("named", "pronoun", "anaphor", "unnamed"):
                items = [Found(np, q.group("cue"), q.start("cue"), q.end("cue"), "say-verb-post", 0.7, 0)]
    # participles: "..., adding that ..." continue the previous speaker of the sentence
    if not items:
        m = _PARTICIPLE.search(s)
        ini = sentence.initial_subject() if m and not _inside(sentence.quotes, m.start("cue")) else None
        if m and ini is not None and ini.end < m.start():
            items = [
                Found(
                    ini,
                    m.group("cue"),
                    m.start("cue"),
                    m.end("cue"),
                    "participle",
                    0.65,
                    _participle_split(m),
                )
            ]
            return (
                [
                    (0, _participle_split(m), None),
                    (
                        *_trim_span(s, _participle_split(m), len(s)),
                        _suggest(items[0], s, offset, lexicon, history, index),
                    ),
                ]
                if len(s[: m.start()].split()) >= 4
                else [(0, len(s), _suggest(items[0], s, offset, lexicon, history, index))]
            )
    if items:
        for m in _PARTICIPLE.finditer(s):
            if _inside(sentence.quotes, m.start("cue")) or m.start() < items[0].cue_end:
                continue
            if any(f.cue_start == m.start("cue") for f in items):
                continue
            base = items[-1] if items[-1].cue_start < m.start() else items[0]
            items.append(
                Found(
                    base.np,
                    m.group("cue"),
                    m.start("cue"),
                    m.end("cue"),
                    "participle",
                    0.75,
                    _participle_split(m),
                    via=base.via,
                )
            )
        items.sort(key=lambda f: f.cue_start)
    # "In a new Pew poll, 18 percent said ...": the study is the outermost source
    study = _IN_STUDY.match(s)
    if (
        study
        and study.group("np").split()[0].lower() in W.DEFINITE
        and not _CAPITALISED.search(study.group("np"))
    ):
        study = None  # "In the report, ...": which report is for the editor to say
    if study and not _inside(sentence.quotes, study.start("np")):
        a, b = study.span("np")
        np = NP(a, b, s[a:b], "unnamed", name=s[a:b][:1].upper() + s[a:b][1:], proposed=s[a:b].lower())
        np.cls = "org"
        if not items:
            items = [
                Found(
                    np, s[study.start("cue") : study.end("cue")], 0, study.start("np") - 1, "finding", 0.6, 0
                )
            ]
        elif items[0].via is None and items[0].np.cat == "unnamed" and items[0].cue_start > study.end():
            f = items[0]
            items[0] = Found(f.np, f.cue, f.cue_start, f.cue_end, "nested", 0.7, f.clause_start, via=np)
    # nested via a news outlet: "Tass reported that officials said ..."
    if (
        len(items) >= 2
        and items[0].np.cat == "named"
        and items[0].np.key
        and lexicon.kind_of(items[0].np.key) in ("news_agency", "broadcaster", "newspaper")
    ):
        second = items[1]
        if (
            second.rule == "say-verb-pre"
            and second.np.cat in ("named", "unnamed")
            and not _SPLIT_POINT.search(s, items[0].cue_end, second.np.start)
        ):
            items = [
                Found(
                    second.np, second.cue, second.cue_start, second.cue_end, "nested", 0.8, 0, via=items[0].np
                ),
                *items[2:],
            ]
    # the report of a report: "X said C, CNN reported." / "X said C, according to Y."
    if len(items) == 2 and items[0].rule == "say-verb-pre" and items[0].via is None:
        last = items[1]
        last_end = max(last.np.end, last.cue_end)
        if (
            last.rule in ("say-verb-post", "according-to")
            and last.np.start > items[0].cue_end
            and last.np.cat in ("named", "unnamed")
            and last.via is None
            and _END_OF_STATEMENT.match(s[last_end:])
        ):
            first = items[0]
            items = [
                Found(
                    first.np,
                    first.cue,
                    first.cue_start,
                    first.cue_end,
                    "nested",
                    0.75,
                    first.clause_start,
                    via=last.np,
                )
            ]
    if not items:
        return _stance_parts(sentence, offset, lexicon, history, index) or [(0, len(s), None)]
    # one statement per attributed clause
    parts: list[tuple[int, int, Found | None]] = []
    current_start = 0
    current = items[0]
    lead = current.clause_start
    if lead > 0 and current.np.end <= lead and current.via is None and len(s[:lead].split()) >= 4:
        # "He toured the plant and said ...": the unattributed first clause stands alone
        parts.append((0, lead, None))
        current_start = lead
    for f in items[1:]:
        if current.np.proposed == "relative" and f.np.start < current.np.start:
            # "X, who said C1, said C2": the relative clause ends at the comma before the main verb
            split_at = -1
            for m in re.finditer(",", s[: f.cue_start]):
                if m.start() > current.cue_end and not _inside(sentence.quotes, m.start()):
                    split_at = m.end()
        elif f.rule == "participle" or f.clause_start >= f.np.end:
            # a participle, or a second verb of the same subject: "X said C and warned D"
            split_at = f.clause_start
        else:
            split_at = -1
            for m in _SPLIT_POINT.finditer(
                s, current.cue_end, f.np.start if f.np.start > current.cue_end else f.cue_start
            ):
                if not _inside(sentence.quotes, m.start()):
                    split_at = m.start() + (1 if s[m.start()] in ",;" else 0)
            if f.rule == "say-verb-post" and f.np.start > current.cue_end:
                split_at = -1
        if (
            split_at > current_start
            and len(s[current_start:split_at].split()) >= 4
            and len(s[split_at:].split()) >= 4
        ):
            parts.append((current_start, split_at, current))
            current_start = split_at
            current = f
    parts.append((current_start, len(s), current))
    out = []
    for a, b, f in _content_parts(s, parts):
        a, b = _trim_span(s, a, b)
        if b <= a:
            continue
        if isinstance(f, _Frame):  # the split-off cue and trailing phrase: no suggestion
            out.append((a, b, _FRAME))
            continue
        out.append((a, b, _suggest(f, s, offset, lexicon, history, index) if f is not None else None))
    return out


_WORD = re.compile(r"\w+")
_LEAD_END = re.compile(r"(?:[,;:\u2014]|,\s+(?:but|yet|so|and|while|though|although|whereas))\s*$")
# "told reporters on Monday she would ...": the reported clause after the addressee
_TOLD_CLAUSE = re.compile(
    r"\b(?:he|she|they|it|we|I)\s+(?:would|will|was|is|had|has|did|could|should|might|must|may|can|"
    r"were|are|does|do|never|always|still|[a-z]+ed)\b"
)
# After "..., X said": a time or place phrase, not the start of the content.
_POST_AFTER = re.compile(
    r"\s*(?:,|\u2014|(?:in|on|to|last|this|during|at|after|before|while|as|when|from|with|via|over|of|about|"
    r"yesterday|today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
_CLAUSE_SOON = re.compile(r"\bthat\b|:|[\"\u201c]|''")
_NP_TOKEN = r"(?:[A-Z0-9][\w.\-/&'\u2019]*|[a-z][\w\-]*)"
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+)*(?:,\s+[A-Z][a-z]{1,9}\.?)?"
    r"(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^()]{1,30}\))?\s*[\u2014\u2013-]{1,2}\s+(?=\S)"
)
_QUOTE_CREDIT = re.compile(
    r"(?:''|[\"\u201d])\s*(?P<dash>[\u2015\u2014\u2013]|--)\s*"
    r"(?P<np>[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})\.?\s*$"
)
_CAPITALISED = re.compile(r"\s[A-Z]")
_DASH_END = re.compile(r"\s(?:--|\u2014|\u2013)$")
_IN_STUDY = re.compile(
    r"^(?:(?:But|And|Yet)\s+)?(?P<cue>[Ii]n)\s+(?P<np>(?:the|a|an|its|their|his|her|this|[A-Z][\w.\-'\u2019]*)\s+"
    r"[^,;:\"\u201c]{0,70}?\b(?:poll|survey|study|report|analysis|census|audit|ranking|tally)"
    r"(?:\s+(?:of|by|from|for|released|conducted|published|taken)\b[^,;:\"\u201c]{0,60})?),\s+(?=\S)"
)
_WORD_SPLIT = re.compile(r"[^a-z]+")
_CUE_WORDS = frozenset(_ALL_CUES)
_PP_THEN_PRONOUN = re.compile(
    r"\s*(?:In|On|At|During|After|Before|Later|Earlier|Last|This)\s+(?:[\w.,'\u2019\-]+\s+){0,4}?"
    r"(?P<pron>he|she|they|we|I)\s*$"
)
_TOLD_TAIL = re.compile(r"\s+(?:[\w.'\u2019\-]+\s+){0,6}?[\w.'\u2019\-]+[.!?]?[\"\u201d\u2019')]*\s*$")
_CLAUSE_CONJUNCTION = re.compile(r"\s*(?:and|but|yet|so)\s+(?=[A-Z])")
_ACCORDING_MODIFIERS = frozenset(["who", "that", "taken", "released", "published", "conducted", "issued"])
_ACCORDING_PHRASE_END = re.compile(r"[,;:()\u2014\"\u201c\u201d]|" + _ABBR_STOP + r"|\s(?:and|but)\s|$")
_ACCORDING_NP = re.compile(r"^" + _NP_TOKEN + r"(?:\s+" + _NP_TOKEN + r"){0,11}$")
_QUOTE_END = re.compile(r"[,?!.\u2014-](?:''|[\"\u201d])$")
_CONTENT_OPENER = re.compile(r"\bthat\b|:|''|[\"\u201c]|[.;!?]")
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:when|while|as|despite|even\s+as|even\s+though|although|though|whereas|before|after|"
    r"including|which|who|but|one|often|especially|particularly|mostly|largely)\b|\s[\u2014\u2013-]\s|"
    # a comment on the whole claim: "..., the first time it has done so", "..., a move that ..."
    r",\s+(?:a|an|the)\s+(?:[a-z\-]+\s+){1,2}(?:that|which|since|after|when)\b|"
    # a new clause with its own subject: "..., and he railed against ..."
    r",\s+(?:and|but)\s+(?=(?:he|she|they|we|I)\s+[a-z]+(?:ed|s)\b)|"
    # a participle clause: "..., echoing a memo from ...", "..., conceding the race"
    r",\s+(?!(?:during|nothing|something|anything|everything|morning|evening|spring|bring|"
    r"according|accordingly|notwithstanding)\b)[a-z]{3,}ing\b"
)
_RELATIVE_IN = re.compile(r"\s(?:who|whom|whose|which|that)\s")
_PRONOUN_CLAUSE = re.compile(r"\s*(?:he|she|they|it|we|I|there|you)(?:['\u2019](?:s|re|ll|d|ve|m))?\s+[a-z]")
_QUOTE_THEN_SPEAKER = re.compile(
    r"[,?!\u2026\u2014-](?:''|[\"\u201d])\s+"
    r"(?P<np>he|she|they|I|we|it|(?:(?:an?|the)\s+[a-z]+\s+)?[A-Z][\w.\-'\u2019]+(?:\s+[A-Z][\w.\-'\u2019]+){0,2})"
    r"\s+(?P<cue>(?:[a-z]{3,}(?:ed|es|s)|shot|spoke|wrote|began|went)(?:\s+(?:back|in|on|out|up))?)\b"
    r"(?=\s*[.,;]|\s+(?:\w+ly|of|to|about|after|before|in|on|at|as|with)\b)"
)
_LEAD_SUBORDINATORS = frozenset(
    ["despite", "while", "although", "though", "as", "when", "after", "before", "since", "because", "if"]
)
_CLAUSE_END = re.compile(r",\s")
_QUOTE_AFTER = re.compile(r"\s*[,:]?\s*(?:''|[\"\u201c])")
# What may follow "..., X said" without being more of the attributed content: a time or place
# phrase, a participle, a relative clause, an apposition.
_TAIL_START = re.compile(
    r"^\s*,?\s*(?:in|at|during|on|to|after|before|while|as|when|from|with|via|over|"
    r"who|which|whose|adding|saying|noting|referring|speaking|citing|according|"
    r"a|an|the|last|this|earlier|later|yesterday|today|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|(?:[a-z]+ly))\b"
)


def _stance_alternation() -> str:
    forms = []
    for verbs, tails in W.STANCE_PHRASES.items():
        for verb in verbs.split():
            for tail in tails:
                forms.append(verb + (r"\s+" + tail if tail else ""))
    return "|".join(sorted(forms, key=len, reverse=True))


# "X (has) (also) criticized ...", "X called for ...", "X declined to ..."
_STANCE = re.compile(r"(?P<aux>(?:(?:" + _ADVERB + r")\s+)*)\b(?P<cue>" + _stance_alternation() + r")\b(?!-)")
# where the object of a stance verb ends: the next clause of the sentence
_STANCE_END = re.compile(
    r"\s*(?:[;:\u2014(]|\s[\u2013-]\s|,\s*(?:and|but|or|while|because|as|who|which|when|after|before|"
    r"saying|adding|noting|arguing|calling|according|although|though|even|since|where|whereas|so|"
    r"despite|including|if|until|said|says)\b)"
)
_PASSIVE_AUX = frozenset(["is", "was", "are", "were", "been", "being", "be"])


_STANCE_VERBS = frozenset(form for verbs in W.STANCE_PHRASES for form in verbs.split())


def _stance(sentence: _Sentence) -> tuple[Found, int] | None:
    """The first stance cue with a speaker before it: (Found, where its object ends)."""
    s = sentence.s
    if _STANCE_VERBS.isdisjoint(_WORD_SPLIT.split(s)):
        return None  # (cheap test first: most sentences have no stance verb)
    for m in _STANCE.finditer(s):
        cue_start, cue_end = m.start("cue"), m.end("cue")
        if _inside(sentence.quotes, cue_start):
            continue
        aux = (m.group("aux") or "").split()
        if aux and aux[-1].lower() in _PASSIVE_AUX:
            continue  # "was criticized": the subject is the target, not the speaker
        prev_word = _PREV_WORD.search(s, 0, m.start())
        if prev_word and prev_word.group(1).lower() in _NOT_BEFORE_VERB | {"who", "and", "or"}:
            continue
        if m.group("cue").split()[0].endswith("ing") and s[: m.start()].rstrip().endswith(","):
            continue  # "..., criticizing ...": a participle, not a verb with its own subject
        np = sentence.subject_before(m.start())
        if np is None or np.cat not in ("named", "pronoun", "unnamed", "anaphor") or np.sub >= 0:
            continue  # (in "After X criticized Y, ..." the claim is not the sentence's)
        if np.cat == "named" and np.key is None and np.proposed not in ("person",) and _is_document(np):
            continue
        end = _STANCE_END.search(s, cue_end)
        while end is not None and _inside(sentence.quotes, end.start()):
            end = _STANCE_END.search(s, end.end())
        stop = end.start() if end else len(s)
        if _words(s, cue_end, stop) < 2:
            continue
        conf = 0.6 if np.cat == "named" else 0.5
        return Found(np, m.group("cue"), cue_start, cue_end, "stance-cue", conf, np.start), stop
    return None


def _stance_parts(sentence: _Sentence, offset: int, lexicon: Lexicon, history: _History, index: int):
    """Statements for a sentence whose only cue takes its content as an object."""
    s = sentence.s
    hit = _stance(sentence)
    if hit is None:
        return None
    f, stop = hit
    sugg = _suggest(f, s, offset, lexicon, history, index)
    if sugg is None:
        return None
    parts = _object_split(s, 0, len(s), f.cue_end, stop, sugg, _FRAME) or [(0, len(s), sugg)]
    trimmed = [(*_trim_span(s, a, b), tag) for a, b, tag in parts]
    return [p for p in trimmed if p[1] > p[0]]


def _object_split(s: str, a: int, b: int, cue_end: int, stop: int, claim, frame):
    """'X criticized | the plan | at a rally': frame, the object as the claim, and a tail.

    None when the object already makes up most of s[a:b] (the part stays whole).
    """
    if _words(s, cue_end, stop) >= 0.6 * _words(s, a, b):
        return None
    if _words(s, stop, b) >= 3:
        return [(a, cue_end, frame), (cue_end, stop, claim), (stop, b, None)]
    return [(a, cue_end, frame), (cue_end, b, claim)]


@dataclass
class _Frame:
    """A split-off "X said in an interview ..." part: no suggestion of its own."""

    of: Found


def _inside_quotes(s: str, pos: int) -> bool:
    """Is ``pos`` inside a double-quoted passage of ``s``?"""
    return _inside(_quote_spans(s), pos)


def _words(s: str, a: int, b: int) -> int:
    return len(_WORD.findall(s, a, b))


def _content_parts(s: str, parts):
    """Split each attributed part so the attributed statement tracks the content clause.

    "In a letter to the court on Monday, X said C": the leading phrase is its own
    statement; "C, X said during a visit to Y, where ...": the cue and what trails it are
    split off when they would outweigh the content.
    """
    out = []
    for a, b, f in parts:
        if f is None:
            out.append((a, b, f))
            continue
        if (
            f.rule == "say-verb-pre"
            and f.via is None
            and f.cue.split()[0].lower() in ("called", "calls", "call")
            and a <= f.np.start < f.cue_end <= b
        ):
            # "X called the deal “a disaster” at a rally": the named thing and its name are the claim
            quotes = [q for q in _quote_spans(s) if f.cue_end <= q[0] < b]
            split = quotes and _object_split(s, a, b, f.cue_end, min(b, quotes[0][1]), f, _Frame(f))
            if split:
                out.extend(split)
                continue
        if f.np.proposed == "relative" and a < f.np.start < b:
            out.append((a, f.np.start, None))
            a = f.np.start
        elif f.np.sub >= 0 and f.rule != "say-verb-post" and a <= f.np.sub < b:
            # "..., after X said C": the subordinate clause is the attributed statement
            if a < f.np.sub:
                out.append((a, f.np.sub, None))
                a = f.np.sub
            comma = _CLAUSE_END.search(s, f.cue_end, b)
            if comma and _words(s, comma.end(), b) >= 3 and _words(s, f.cue_end, comma.start()) >= 3:
                out.append((a, comma.end(), f))
                out.append((comma.end(), b, None))
                continue
        elif f.rule in ("say-verb-pre", "belief-cue", "finding") and f.via is None and a < f.np.start < b:
            lead_end = f.np.start
            lead = _words(s, a, lead_end)
            frame = lead + _words(s, lead_end, f.cue_end)
            rest = _words(s, f.cue_end, b)
            lead_m = _LEAD_END.search(s, a, lead_end)
            if lead_m and rest >= 3 and (lead >= 5 or frame >= rest):
                cut = lead_m.start() + 1 if s[lead_m.start()] == "," else lead_end  # keep "but X said"
                out.append((a, cut, None))
                a = cut
        if f.rule in ("say-verb-pre", "belief-cue", "relative") and f.via is None:
            # "X said C, even as Y ...": a trailing adverbial clause is not part of the claim
            trail = _TRAILING_CLAUSE.search(s, f.cue_end, b)
            if (
                trail
                and not _inside_quotes(s, trail.start())
                and _words(s, f.cue_end, trail.start()) >= 4
                and _words(s, trail.start(), b) >= 4
            ):
                parts_here = _content_parts(s, [(a, trail.start() + 1, f)])
                out.extend(parts_here)
                out.append((trail.start() + 1, b, None))
                continue
        if f.rule in ("according-to", "say-verb-post") and f.via is None and f.cue_start > a + 1:
            # "Despite the snow, turnout rose, according to X": the leading phrase is not content
            words = s[a : f.cue_start].split()
            first = words[0].lower().strip(",") if words else ""
            comma = s.find(",", a, min(f.cue_start, f.np.start))
            if (
                (first in _ADVERBIAL_OPENERS or first in _LEAD_SUBORDINATORS)
                and comma > 0
                and not _inside_quotes(s, comma)
                and _words(s, a, comma) >= 3
                and _words(s, comma, min(f.cue_start, f.np.start)) >= 4
            ):
                out.append((a, comma + 1, None))
                a = comma + 1
        comma = s.find(",", f.np.end, b) if f.rule == "according-to" and f.cue_start <= a + 1 else -1
        if comma > 0 and not _inside_quotes(s, comma):
            # "According to X, a long description, C": a long frame is its own statement
            frame = _words(s, a, comma)
            content = _words(s, comma, b)
            if content >= 3 and frame >= 6 and frame > 0.6 * content:
                out.append((a, comma + 1, _Frame(f)))
                out.append((comma + 1, b, f))
                continue
        if f.rule in ("say-verb-pre", "belief-cue", "finding") and f.via is None and a <= f.np.start < b:
            # "X, a long description, told the crowd on Monday that C": the frame is split off
            # when it would outweigh the content
            m = _CONTENT_OPENER.search(s, f.cue_end, min(b, f.cue_end + 90))
            opener = m is not None and m.group() not in ".;!?"
            if not opener and f.cue.lower() in ("told", "tells", "tell", "telling"):
                m = _TOLD_CLAUSE.search(s, f.cue_end, min(b, f.cue_end + 80))
                opener = m is not None
            start = m.start() if opener else f.cue_end
            frame = _words(s, a, start)
            content = _words(s, start, b)
            clause = (
                opener
                or _PRONOUN_CLAUSE.match(s, f.cue_end, b)
                or (_words(s, a, f.np.start) == 0 and _CLAUSE_COMPLEMENT.match(s[f.cue_end : b]))
                or (f.cue.lower() in ("said", "says", "say") and _BARE_CLAUSE.match(s, f.cue_end, b))
            )
            if content >= 3 and frame >= 8 and frame > 0.6 * content and clause:
                out.append((a, start, _Frame(f)))
                out.append((start, b, f))
                continue
        if f.rule == "say-verb-post" and f.via is None:
            frame_start = min(f.np.start, f.cue_start)
            frame_end = max(f.np.end, f.cue_end)
            if a < frame_start and frame_end <= b:
                content = _words(s, a, frame_start)
                frame = _words(s, frame_start, frame_end)
                tail = _words(s, frame_end, b)
                first = s[a:frame_start].split()[0].lower().strip(",")
                lead = s[a:frame_start].rstrip()
                quoted_lead = _OPENING_QUOTE.match(lead) and _QUOTE_END.search(lead)
                if quoted_lead and _QUOTE_AFTER.match(s, frame_end, b):
                    # '“A,” X said, “B.”': one quotation around its speaker
                    out.append((a, b, f))
                    continue
                if _QUOTE_AFTER.match(s, frame_end, b) or (
                    tail > content
                    and (first in _ADVERBIAL_OPENERS or first in _SUBORDINATORS or first == "as")
                ):
                    # "At the rally on Monday, X said, “C”": the leading phrase is not content
                    out.append((a, frame_start, None))
                    out.append((frame_start, b, f))
                    continue
                if content >= 2 and tail >= 3 and _TAIL_START.match(s[frame_end:b]):
                    cut = frame_start if frame > 0.6 * content else frame_end
                    out.append((a, cut, f))
                    out.append((cut, b, _Frame(f)))
                    continue
                if content >= 2 and frame + tail > 0.8 * content:
                    out.append((a, frame_start, f))
                    out.append((frame_start, b, _Frame(f)))
                    continue
        out.append((a, b, f))
    return out


# "said no decision had been made": a clause with no "that", not a time or place phrase
_BARE_CLAUSE = re.compile(
    r"\s+(?!(?:on|in|at|to|during|after|before|last|this|yesterday|today|earlier|later|recently|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Za-z]"
)


def _trim_span(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (s[a].isspace() or s[a] in ",;"):
        a += 1
    while b > a and s[b - 1].isspace():
        b -= 1
    return a, b


def _suggest(
    f: Found, s: str, offset: int, lexicon: Lexicon, history: _History, index: int
) -> Suggestion | None:
    source = _mention(f.np, offset, lexicon)
    rule = f.rule
    conf = f.confidence
    if f.np.cat == "pronoun" and f.np.proposed != "relative":
        ante = history.pronoun(index, f.np.cls)
        if ante is not None:
            source = Mention(
                source.text, source.start, source.end, ante.key, ante.name, "pronoun", ante.proposed_kind
            )
            f.np.cls = "person" if f.np.cls == "person" else f.np.cls
    elif f.np.cat == "anaphor":
        word = f.np.proposed or ""
        if word in W.DOC_NOUNS:
            # "The report says": the last named speaker issued it ("Tass highlighted ... The
            # report says"), unless the text named the report's issuer since, or the last
            # speaker is an unnamed group ("Analysts say ... The report says").
            ante = history.last(index)
            owner = history.owner_of(index, word)
            if owner is not None and (ante is None or ante.kind == "unnamed" or history.newer(owner, ante)):
                ante = owner
        else:
            ante = history.with_word(index, word, f.np.cls)
            if ante is None and word in W.ORG_NOUN_KINDS:
                # "Amnesty International said ... the group said": the last body of that kind
                ante = history.of_kind(index, W.ORG_NOUN_KINDS[word], lexicon)
        if ante is not None:
            source = Mention(
                source.text, source.start, source.end, ante.key, ante.name, "carried", ante.proposed_kind
            )
            rule = "anaphor"
        else:
            conf -= 0.2
    elif f.np.cat == "unnamed" and rule in ("say-verb-pre", "say-verb-post"):
        rule = "unnamed"
    via = _mention(f.via, offset, lexicon) if f.via is not None else None
    if via is not None and via.kind == "carried":
        ante = (
            history.last(index)
            if (f.via.proposed or "") in W.DOC_NOUNS
            else history.with_word(index, f.via.proposed or "", "org")
        )
        if ante is not None:
            via = Mention(via.text, via.start, via.end, ante.key, ante.name, "carried", ante.proposed_kind)
    if (
        rule in ("according-to",)
        and source.kind == "carried"
        and source.key is None
        and history.last(index) is None
    ):
        return None
    sugg = Suggestion(
        source, via, f.cue, offset + f.cue_start, offset + f.cue_end, round(max(0.05, conf), 2), rule
    )
    history.add(index, source, f.np.cls)
    return sugg


_DEFAULT: list[Lexicon] = []


def _default_lexicon() -> Lexicon:
    if not _DEFAULT:
        _DEFAULT.append(Lexicon.from_registry())
    return _DEFAULT[0]
