"""Glue between the pure engine and the database: statements and suggested attributions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils.text import slugify

from articles import bulk
from articles.models import Article, Statement
from articles.text import split_sentences_any
from attributions.engine import (
    LANGUAGES,
    Lexicon,
    Mention,
    StatementResult,
    extract,
    is_bare_description,
    normalise_alias,
)
from attributions.models import Attribution, Source, SourceAlias, state_for

KIND_GUESSES = set(Source.Kind.values)


class _Suggested(NamedTuple):
    """What ``state_for`` reads of an attribution, for one not yet stored."""

    role: str
    status: str = Attribution.Status.SUGGESTED


STATEMENT_COLUMNS = ("article_id", "paragraph", "start", "end", "text", "state", "is_frame")
#: What the engine says of a suggestion, stored on its attribution (and refreshed by resuggest).
SUGGESTION_FIELDS = (
    "cue",
    "cue_start",
    "cue_end",
    "mention",
    "mention_start",
    "mention_end",
    "confidence",
    "method",
)
ATTRIBUTION_COLUMNS = ("statement_id", "source_id", "role", "status", *SUGGESTION_FIELDS)


@lru_cache(maxsize=8192)
def _slugify(name: str) -> str:
    """slugify, remembered: the same speakers are named again and again across a batch."""
    return slugify(name)


def suggests_for(language: str) -> bool:
    """The engine runs where it has rules, and on text whose language could not be told (a
    few words; its rules only fire on English cues)."""
    return not language or language in LANGUAGES


@dataclass
class Analysis:
    """The engine's results for one text, before anything is stored."""

    results: list[StatementResult]
    suggests: bool  # False: the engine has no rules for the language; editors tag it

    @property
    def statement_count(self) -> int:
        return len(self.results)


def build_lexicon() -> Lexicon:
    """Every source name and alias in the database, so editors' aliases count on the next run.

    Unnamed groups ("experts") are descriptions, not names: the engine finds them by their
    descriptor. A name the engine only proposed gives way to an alias an editor saved for
    another source (otherwise the two would cancel out as ambiguous).
    """
    aliases = [
        alias
        for alias in SourceAlias.objects.values_list("text", "source__slug", "source__name")
        if not is_bare_description(alias[0])  # a bare "the ministry" names no one in particular
    ]
    taken = {normalise_alias(text) for text, _, _ in aliases}
    pairs = [
        (name, slug, name)
        for name, slug, proposed in Source.objects.exclude(kind=Source.Kind.UNNAMED).values_list(
            "name", "slug", "proposed"
        )
        if not (proposed and normalise_alias(name) in taken)
    ]
    return Lexicon.from_pairs(pairs + aliases)


class Suggester:
    """Segments articles and stores the engine's suggestions. One per import batch."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else build_lexicon()
        self._sources: dict[str, Source] = {}

    def forget_sources(self) -> None:
        """Drop the cached sources: after a rolled-back file, some may no longer exist."""
        self._sources.clear()

    def source_for(self, mention: Mention) -> Source | None:
        """The source a mention names, created if it is an unnamed group or a proposed name
        (one at a time, for ``refresh``; ``store`` does the same for many at once)."""
        wanted: dict[str, dict | None] = {}
        slug = self._slug(mention, wanted)
        if slug is None:
            return None
        create = wanted[slug]
        return self._get_or_create(slug, **create) if create else self._get(slug)

    def _get(self, slug: str) -> Source | None:
        if slug not in self._sources:
            source = Source.objects.filter(slug=slug).first()
            if source is None:
                return None
            self._sources[slug] = source
        return self._sources[slug]

    def _get_or_create(self, slug: str, **defaults) -> Source:
        if slug not in self._sources:
            self._sources[slug], _ = Source.objects.get_or_create(slug=slug, defaults=defaults)
        return self._sources[slug]

    def analyse(self, text: str, language: str) -> Analysis:
        """The engine's statements for ``text`` (pure work, no database). Where the engine has
        no rules for the language, the text is only split into statements, for editors to tag."""
        if suggests_for(language):
            return Analysis(extract(text, self.lexicon), suggests=True)
        segments = split_sentences_any(text)
        if len({seg.paragraph for seg in segments}) > 1 and "\n" not in text[: segments[0].end]:
            segments = [seg for seg in segments if seg.paragraph > 0]  # the title stays the title
        return Analysis(
            [StatementResult(seg.start, seg.end, seg.paragraph, i, None) for i, seg in enumerate(segments)],
            suggests=False,
        )

    def store(self, analysed: Sequence[tuple[Article, Analysis]]) -> None:
        """Write the statements and suggestions of many saved articles at once: the sources
        they name (proposed ones created in bulk, without a history row each: editors' changes
        are what the history records), statements, then attributions; a few queries in all."""
        slugs: dict[str, dict | None] = {}
        wanted = [
            [self._wanted(result.suggestion, slugs) for result in analysis.results]
            for _, analysis in analysed
        ]
        sources = self._source_ids(slugs)
        statements: list[tuple] = []
        pending: list[list[tuple]] = []
        states: dict[tuple, str] = {}
        for (article, analysis), article_wants in zip(analysed, wanted, strict=True):
            body = article.body
            for result, wants in zip(analysis.results, article_wants, strict=True):
                attributions = self._resolved(result.suggestion, wants, sources)
                pending.append(attributions)
                roles = tuple(sorted({row[1] for row in attributions}))
                if roles not in states:  # the rule, asked once for each set of suggested roles
                    states[roles] = state_for(Statement.State.NO_SOURCE, [_Suggested(role) for role in roles])
                state = states[roles]
                statements.append(
                    (
                        article.pk,
                        result.paragraph,
                        result.start,
                        result.end,
                        body[result.start : result.end],
                        state,
                        result.frame,
                    )
                )
        ids = bulk.insert(Statement, STATEMENT_COLUMNS, statements, ids=True)
        # No history rows for the engine's own suggestions either: the statement page shows
        # them from the attribution, and every editor change is recorded.
        bulk.insert(
            Attribution,
            ATTRIBUTION_COLUMNS,
            [(statement_id, *row) for statement_id, rows in zip(ids, pending, strict=True) for row in rows],
        )

    @transaction.atomic
    def add_statements(self, article: Article) -> list[Statement]:
        """Segment one saved article and store its statements with their suggestions."""
        self.store([(article, self.analyse(article.body, article.language))])
        return list(article.statements.all())

    def _wanted(self, suggestion, slugs: dict[str, dict | None]) -> tuple[str | None, str | None]:
        """The slugs of a suggestion's source and via; ``slugs`` collects what to find or create."""
        if suggestion is None:
            return None, None
        return (
            self._slug(suggestion.source, slugs),
            self._slug(suggestion.via, slugs) if suggestion.via else None,
        )

    @staticmethod
    def _slug(mention: Mention, slugs: dict[str, dict | None]) -> str | None:
        """The slug of the source a mention names; ``slugs`` notes it, with what to create it
        with for unnamed groups and proposed names ("..., he added" after a speaker proposed
        earlier in the article names the same source; it is never created from a pronoun)."""
        if mention.key:
            slugs.setdefault(mention.key, None)
            return mention.key
        if mention.kind == "unnamed":
            descriptor = (mention.proposed_kind or mention.name or mention.text).strip()
            slug = "unnamed-" + _slugify(descriptor)[:150]
            slugs[slug] = {"name": mention.name or descriptor.capitalize(), "kind": Source.Kind.UNNAMED}
            return slug
        if mention.kind == "named" and mention.name:
            slug = _slugify(mention.name)[:190]
            if not slug:
                return None
            kind = mention.proposed_kind if mention.proposed_kind in KIND_GUESSES else Source.Kind.OTHER
            if slugs.get(slug) is None:
                slugs[slug] = {"name": mention.name[:200], "kind": kind, "proposed": True}
            return slug
        if mention.kind in ("pronoun", "carried") and mention.name and mention.name != mention.text:
            slug = _slugify(mention.name)[:190]
            if slug:
                slugs.setdefault(slug, None)
            return slug or None
        return None

    @staticmethod
    def _source_ids(slugs: dict[str, dict | None]) -> dict[str, int]:
        """Source ids by slug: the existing ones, and those to create, created in one insert
        (in slug order, so that two workers creating the same names never deadlock)."""
        found = dict(Source.objects.filter(slug__in=list(slugs)).values_list("slug", "pk"))
        missing = sorted(slug for slug, create in slugs.items() if create is not None and slug not in found)
        if missing:
            Source.objects.bulk_create(
                [Source(slug=slug, **slugs[slug]) for slug in missing], ignore_conflicts=True
            )
            found.update(Source.objects.filter(slug__in=missing).values_list("slug", "pk"))
        return found

    @staticmethod
    def _resolved(suggestion, wants, sources: dict[str, int]) -> list[tuple]:
        """The suggestion's attributions as rows of ATTRIBUTION_COLUMNS (less the statement)."""
        if suggestion is None:
            return []
        out = []
        source_id = sources.get(wants[0]) if wants[0] else None
        via_id = sources.get(wants[1]) if wants[1] else None
        confidence = max(0.0, min(1.0, suggestion.confidence))
        for role, found, mention in (
            (Attribution.Role.SOURCE, source_id, suggestion.source),
            (Attribution.Role.VIA, via_id, suggestion.via),
        ):
            if found is None or (role == Attribution.Role.VIA and found == source_id):
                continue
            out.append(
                (
                    found,
                    role,
                    Attribution.Status.SUGGESTED,
                    suggestion.cue[:100],
                    suggestion.cue_start,
                    suggestion.cue_end,
                    mention.text[:300],
                    mention.start,
                    mention.end,
                    confidence,
                    suggestion.rule[:40],
                )
            )
        return out

    @transaction.atomic
    def fill_gaps(self, article: Article) -> list[Statement]:
        """Statements for the engine's findings in text no statement covers (a corrected text's
        new sentences); existing statements, editors' above all, are not touched."""
        results = self.analyse(article.body, article.language).results
        taken = list(article.statements.anchored().values_list("start", "end"))
        fresh = [r for r in results if all(r.end <= start or r.start >= end for start, end in taken)]
        suggested = [self._attributions(result) for result in fresh]
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    article=article,
                    paragraph=result.paragraph,
                    start=result.start,
                    end=result.end,
                    text=article.body[result.start : result.end],
                    is_frame=result.frame,
                    state=state_for(Statement.State.NO_SOURCE, attributions),
                )
                for result, attributions in zip(fresh, suggested, strict=True)
            ]
        )
        for statement, attributions in zip(statements, suggested, strict=True):
            for attribution in attributions:
                attribution.statement = statement
        Attribution.objects.bulk_create([a for attributions in suggested for a in attributions])
        return statements

    def refresh(self, article: Article) -> dict[str, int]:
        """Run the engine again over an imported article (say, after editors added aliases).

        Editors' work wins: a statement with a confirmed or editor-made attribution, or marked
        as the article's own claim, is left alone; a rejected suggestion is never revived;
        nothing is duplicated. Unreviewed suggestions are updated, added or withdrawn.

        The engine runs first, outside any transaction; then the article's statements are
        locked (the rows every editor action updates first), so an editor's confirmation made
        meanwhile is seen and kept, and each write touches only rows still unreviewed. A
        statement whose suggestions change gets a new revision, so a form opened on the old
        suggestions is refused as out of date instead of acting on what is no longer there.
        """
        results = extract(article.body, self.lexicon)
        report = {"added": 0, "updated": 0, "withdrawn": 0, "kept": 0}
        with transaction.atomic():
            locked = Statement.objects.select_for_update().filter(article=article).order_by("pk")
            statements = {(s.start, s.end): s for s in locked}
            existing: dict[int, list[Attribution]] = {}
            for attribution in Attribution.objects.filter(statement__in=list(statements.values())):
                existing.setdefault(attribution.statement_id, []).append(attribution)
            changed: set[int] = set()
            for result in results:
                statement = statements.get((result.start, result.end))
                if statement is None:
                    continue  # the segmentation changed; existing statements keep their spans
                if statement.is_frame != result.frame:  # articles imported before frames were marked
                    Statement.objects.filter(pk=statement.pk).update(is_frame=result.frame)
                if self._refresh_statement(statement, result, existing.get(statement.pk, []), report):
                    changed.add(statement.pk)
            if changed:
                has_source = Exists(
                    Attribution.objects.visible().filter(
                        statement=OuterRef("pk"), role=Attribution.Role.SOURCE
                    )
                )
                Statement.objects.filter(pk__in=changed).update(
                    revision=F("revision") + 1,
                    state=Case(
                        When(has_source, then=Value(Statement.State.ATTRIBUTED)),
                        default=Value(Statement.State.NO_SOURCE),
                    ),
                )
        return report

    def _refresh_statement(self, statement, result, existing: list[Attribution], report) -> bool:
        """Bring one unreviewed statement's suggestions up to date; True if anything changed."""
        decided = (Statement.State.OWN_CLAIM, Statement.State.NEEDS_SOURCE)
        reviewed = (
            statement.span_origin == Statement.Origin.EDITOR  # an editor drew it: theirs alone
            or statement.state in decided
            or any(a.status == Attribution.Status.CONFIRMED or a.method == "editor" for a in existing)
        )
        if reviewed:
            report["kept"] += 1
            return False
        changed = False
        fresh = {(a.source_id, a.role): a for a in self._attributions(result, statement)}
        unreviewed = Attribution.objects.filter(status=Attribution.Status.SUGGESTED)
        for old in existing:
            new = fresh.pop((old.source_id, old.role), None)
            if old.status != Attribution.Status.SUGGESTED:
                continue  # rejected: never revived, never rewritten
            if new is None:
                unreviewed.filter(pk=old.pk).delete()
                report["withdrawn"] += 1
                changed = True
                continue
            values = {
                f: getattr(new, f)
                for f in SUGGESTION_FIELDS
                # words an editor marked as the speaker or the cue stay marked
                if not (old.mention_by_editor and f.startswith("mention"))
                and not (old.cue_by_editor and f.startswith("cue"))
            }
            if any(getattr(old, f) != v for f, v in values.items()):
                unreviewed.filter(pk=old.pk).update(**values)
                report["updated"] += 1
                changed = True
        reviewed_keys = {(a.source_id, a.role) for a in existing if a.status != Attribution.Status.SUGGESTED}
        added = [new for key, new in fresh.items() if key not in reviewed_keys]
        if added:
            Attribution.objects.bulk_create(added)
            report["added"] += len(added)
            changed = True
        return changed

    def _attributions(self, result: StatementResult, statement: Statement | None = None) -> list[Attribution]:
        """The engine's suggestions for one result, unsaved (for ``statement`` when given)."""
        suggestion = result.suggestion
        if suggestion is None:
            return []
        out = []
        source = self.source_for(suggestion.source)
        via = self.source_for(suggestion.via) if suggestion.via else None
        for role, found, mention in (
            (Attribution.Role.SOURCE, source, suggestion.source),
            (Attribution.Role.VIA, via, suggestion.via),
        ):
            if found is None or (role == Attribution.Role.VIA and found == source):
                continue
            attribution = Attribution(
                source=found,
                role=role,
                status=Attribution.Status.SUGGESTED,
                cue=suggestion.cue[:100],
                cue_start=suggestion.cue_start,
                cue_end=suggestion.cue_end,
                mention=mention.text[:300],
                mention_start=mention.start,
                mention_end=mention.end,
                confidence=max(0.0, min(1.0, suggestion.confidence)),
                method=suggestion.rule[:40],
            )
            if statement is not None:
                attribution.statement = statement
            out.append(attribution)
        return out
