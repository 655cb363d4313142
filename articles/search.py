"""Full-text search over statements: what a query matches, and its words marked in the results.

Queries use web-search syntax on both databases: words (all must match), "a phrase" in quotes,
``or`` between alternatives, and ``-word`` to leave out.

- **PostgreSQL** matches English statements (and those whose language is undetermined)
  through a stored ``tsvector`` column and its GIN index (migration 0021: the column is not
  on the model, so SQLite never sees it), with English stemming ("strikes" finds "strike").
  Statements of articles in other languages, usually a small share, are matched with their
  language's own configuration (or 'simple') without an index.
- **SQLite** (the embedded demo database) scans: each word or phrase must occur in the text
  as written, case-insensitively; no stemming.

Highlighting runs on the shown rows only: ``ts_headline`` on PostgreSQL, the same terms
marked in Python on SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Expression, Func, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import figures, languages

#: Languages searched through the stored English vector ("" is undetermined).
INDEXED_LANGUAGES = ("en", "")
#: How many statements next to a page's edge a search of several words first looks through,
#: row by row, before it asks the word index for every match (see ``walks``).
WALK = 10_000
#: Markers ts_headline puts around matches (characters no statement text contains), turned
#: into <mark> once the text is escaped.
START, STOP = "\ue000", "\ue001"
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class StoredVector(Expression):
    """The statement row's stored ``search_vector`` column (PostgreSQL only)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}", []


class RowMatch(Func):
    """``vector @@ query`` written as the function the operator stands for, which no index
    answers: for statements PostgreSQL reads anyway, walking down their ids (``walks``)."""

    function = "ts_match_vq"
    output_field = BooleanField()


@dataclass
class Terms:
    """A query as SQLite and the highlighter read it: groups of alternatives (each group must
    match; "or" joins alternatives), and excluded words or phrases."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        return [term for group in self.groups for term in group]


def parse(query: str) -> Terms:
    terms = Terms()
    join_next = False
    for minus, phrase, word in _TERM.findall(query):
        if word and word.lower() == "or":
            join_next = bool(terms.groups)
            continue
        text = " ".join((phrase if phrase or not word else word).split())
        if word.startswith("-") and len(word) > 1:
            minus, text = "-", word[1:]
        text = text.strip()
        if not text:
            continue
        if minus:
            terms.excluded.append(text)
        elif join_next:
            terms.groups[-1].append(text)
        else:
            terms.groups.append([text])
        join_next = False
    return terms


@figures.figure("search-languages", 600)
def other_languages() -> dict[str, list[str]]:
    """The languages of stored articles that the stored vector does not cover, by their
    text-search configuration (kept in the shared cache; imports count it again)."""
    # The model by name: articles.models imports this module.
    codes = (
        apps.get_model("articles", "Article")
        .objects.exclude(language__in=INDEXED_LANGUAGES)
        .values_list("language", flat=True)
    )
    by_config: dict[str, list[str]] = {}
    for code in sorted(set(codes.order_by().distinct())):
        by_config.setdefault(languages.search_config(code), []).append(code)
    return by_config


def walks(query: str) -> bool:
    """Whether a page of ``query`` is first looked for among the ``WALK`` statements next to
    its edge, matched row by row (``matching(..., indexed=False)``), before the word index is
    asked for every match: on PostgreSQL, for several words or a phrase.

    PostgreSQL estimates how many statements hold several words by multiplying how often each
    occurs. Words that go together ("white house", "tayyip erdogan") occur together far more
    often than that, so it fetches every statement the index names to sort them (15,000 rows
    for "white house" at a million statements, 35 ms or more) where the newest 26 lie among
    the last 2,000. A single word's estimate comes from its own statistics and is good."""
    if connection.vendor != "postgresql":
        return False
    terms = parse(query)
    return len(terms.shown) + len(terms.excluded) > 1 or any(" " in term for term in terms.shown)


def matching(statements, query: str, *, indexed: bool = True, languages: dict | None = None) -> list:
    """Querysets of the statements matching ``query``, unordered: one for the statements the
    stored English vector covers, and on PostgreSQL one per other configuration in use
    (``languages``: ``other_languages()`` when the caller has not read it already).
    Callers page each newest first and merge. ``indexed=False`` matches each row without the
    word index, for a walk through a narrow range of ids (``walks``)."""
    if connection.vendor != "postgresql":
        return [_scan(statements, parse(query))]
    english = SearchQuery(query, config="english", search_type="websearch")
    # The other languages' articles left out by their ids (a partial index), not by joining
    # every matching statement to its article.
    not_english = apps.get_model("articles", "Article").objects.exclude(language__in=INDEXED_LANGUAGES)
    english_ones = statements.exclude(article__in=not_english)
    if indexed:
        found = [english_ones.alias(document=StoredVector()).filter(document=english)]
    else:
        found = [english_ones.filter(RowMatch(StoredVector(), english))]
    # Each configuration a constant: no per-row choice of configuration, no index either.
    for config, codes in (other_languages() if languages is None else languages).items():
        own = SearchQuery(query, config=config, search_type="websearch")
        found.append(
            statements.filter(article__language__in=codes)
            .alias(document=SearchVector("text", config=config))
            .filter(document=own)
        )
    return found


def _scan(statements, terms: Terms):
    condition = Q()
    for group in terms.groups:
        alternatives = Q()
        for term in group:
            alternatives |= Q(text__icontains=term)
        condition &= alternatives
    for term in terms.excluded:
        condition &= ~Q(text__icontains=term)
    if not terms.groups:
        return statements.none()
    return statements.filter(condition)


def plain_ranks(texts: dict[int, str], query: str) -> dict[int, float]:
    """A plain relevance for SQLite: how often the query's terms occur, shorter texts first."""
    terms = [t.lower() for t in parse(query).shown]
    ranks = {}
    for pk, text in texts.items():
        lowered = text.lower()
        hits = sum(lowered.count(term) for term in terms)
        ranks[pk] = hits / (1 + len(lowered) / 500)
    return ranks


# Highlighting -------------------------------------------------------------------------------

SNIPPET = 280


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def highlights(statements: list, query: str) -> dict[int, SafeString]:
    """Each shown statement's text (or, when long, the part around its first match) with the
    matched words in <mark>, escaped. ``statements`` carry their article's language."""
    if not statements:
        return {}
    if connection.vendor == "postgresql":
        Statement = type(statements[0])
        by_config: dict[str, list[int]] = {}
        for statement in statements:
            language = statement.article.language
            config = "english" if language in INDEXED_LANGUAGES else languages.search_config(language)
            by_config.setdefault(config, []).append(statement.pk)
        marked = {}
        # One query per language shown (usually one), each with its configuration as a value.
        for config, ids in by_config.items():
            search = SearchQuery(query, config=config, search_type="websearch")
            # The whole text marked (a statement is a sentence or two); cut to a snippet below.
            headline = SearchHeadline(
                "text", search, config=config, start_sel=START, stop_sel=STOP, highlight_all=True
            )
            rows = Statement.objects.filter(pk__in=ids).annotate(headline=headline)
            marked.update((pk, _marked(_snippet(text))) for pk, text in rows.values_list("pk", "headline"))
        return marked
    terms = parse(query).shown
    return {s.pk: _marked(_snippet(_mark_terms(s.text, terms))) for s in statements}


def _mark_terms(text: str, terms: list[str]) -> str:
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: START + m.group(0) + STOP, text)


def _snippet(marked: str) -> str:
    """A long marked text cut to about SNIPPET characters around its first match, the markers
    kept in pairs."""
    plain_length = len(marked) - marked.count(START) - marked.count(STOP)
    if plain_length <= SNIPPET:
        return marked
    first = marked.find(START)
    begin = max(0, first - SNIPPET // 3) if first >= 0 else 0
    end = begin + SNIPPET + 2 * marked.count(START, begin, begin + SNIPPET)
    part = marked[begin:end]
    if part.find(STOP) != -1 and (part.find(START) == -1 or part.find(STOP) < part.find(START)):
        part = START + part
    if part.rfind(START) > part.rfind(STOP):
        part += STOP
    return ("…" if begin else "") + part + ("…" if end < len(marked) else "")
