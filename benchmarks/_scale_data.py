"""Generated data at newsroom scale for the benchmarks, in a throwaway PostgreSQL database.

Realistic where speed depends on it:

- words: sentences come from a word-pair (bigram) chain learnt at run time from the PolNeAR
  training texts in ``../shared/eval`` (never stored: the chain lives in memory and the
  generated rows only in the throwaway database), so common words ("said", "president")
  are as common as in news and rare ones as rare, and phrases ("white house") occur;
- sources: besides the built-in registry, one source per distinct name the PolNeAR
  annotators marked as a source, sized by how often it was marked (a few sources claim tens
  of thousands of statements, most a handful), about three thousand sources in all;
- articles: 10 to 80 statements of about 25 words, a few of 400; twenty publishers; dates
  spread over three years; about 55% of statements attributed, a fifth of those confirmed,
  one in ten with a "via", some cross-referenced.

Rows go in with COPY; columns the generator does not set get their model defaults, so a new
field with a default does not break it.
"""

from __future__ import annotations

import bisect
import json
import random
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TRAIN = SHARED / "eval" / "polnear-train.jsonl"
PUBLISHERS = [f"Publisher {letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
CUES = ["said", "told reporters", "said in a statement", "according to", "claimed", "stated"]
PRONOUNS = {"he", "she", "they", "we", "you", "it", "i", "his", "her", "their", "this", "that"}
TOKEN = re.compile(r"\S+")
SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")


class Chain:
    """A word-pair chain over real news text: sentences with news word frequencies."""

    def __init__(self, texts: list[str]) -> None:
        following: dict[str, list[str]] = defaultdict(list)
        starts: list[str] = []
        for text in texts:
            for paragraph in text.split("\n"):
                previous = None
                for word in TOKEN.findall(paragraph):
                    if previous is None:
                        if word[:1].isupper():
                            starts.append(word)
                    else:
                        following[previous].append(word)
                    previous = None if SENTENCE_END.search(word) else word
        self.following = dict(following)
        self.starts = starts

    def sentence(self, rng: random.Random, low: int = 12, high: int = 40) -> str:
        words = [rng.choice(self.starts)]
        while len(words) < high:
            nexts = self.following.get(words[-1])
            if not nexts:
                break
            word = rng.choice(nexts)
            words.append(word)
            if SENTENCE_END.search(word) and len(words) >= low:
                break
        text = " ".join(words)
        return text if SENTENCE_END.search(text) else text.rstrip(",;:") + "."


def polnear() -> tuple[list[str], Counter]:
    """The training texts and how often each source name was annotated."""
    if not TRAIN.exists():
        raise SystemExit(f"{TRAIN} is missing: the benchmarks need ../shared next to the repository.")
    texts, names = [], Counter()
    with TRAIN.open(encoding="utf-8") as handle:
        for line in handle:
            document = json.loads(line)
            texts.append(document["text"])
            for attribution in document["attributions"]:
                name = " ".join((attribution.get("source_text") or "").split())
                if 2 < len(name) <= 60 and name[:1].isupper() and name.lower() not in PRONOUNS:
                    names[name] += 1
    return texts, names


def _defaults(model, given: list[str]) -> tuple[list[str], list]:
    """The columns ``given`` does not name that need a value, with their model defaults."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key or field.null:
            continue
        default = field.get_default()
        if isinstance(field, models.JSONField):
            default = json.dumps(default)
        columns.append(field.column)
        values.append(default)
    return columns, values


class Copier:
    """COPY rows into one model's table, filling the columns left out with defaults."""

    def __init__(self, cursor, model, columns: list[str]) -> None:
        extra, self.defaults = _defaults(model, columns)
        names = ", ".join(f'"{c}"' for c in [*columns, *extra])
        self.copy = cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN")

    def __enter__(self):
        self.writer = self.copy.__enter__()
        return self

    def row(self, values: list) -> None:
        self.writer.write_row([*values, *self.defaults])

    def __exit__(self, *exc):
        return self.copy.__exit__(*exc)


def _slug(name: str, taken: set[str]) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:180] or "source"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def build(statements: int, *, seed: int = 7, progress=print) -> dict:
    """Fill the (migrated, empty) database Django is connected to with about ``statements``
    statements; returns what was made."""
    from django.db import connection

    from articles.models import Article, Statement
    from attributions.models import Attribution, CrossReference, Source
    from attributions.registry import load_sources

    rng = random.Random(seed)
    texts, names = polnear()
    chain = Chain(texts)
    del texts
    load_sources()
    now = datetime.now(UTC)

    # Sources: the registry, then the annotated names, sized by their annotated frequency.
    taken = set(Source.objects.values_list("slug", flat=True))
    known = {n.lower(): pk for pk, n in Source.objects.values_list("pk", "name")}
    new = [(n, c) for n, c in names.most_common() if n.lower() not in known]
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cur,
        Copier(cur, Source, ["name", "slug", "kind", "created_at"]) as copy,
    ):
        for name, _ in new:
            kind = Source.Kind.PERSON if len(name.split()) in (2, 3) else Source.Kind.OTHER
            copy.row([name, _slug(name, taken), kind, now])
    weights = dict(names)
    sources = list(Source.objects.values_list("pk", "name", "kind"))
    # Registry sources weigh as much as the most annotated names; media outlets carry "via".
    top = max(weights.values())
    source_weights = [weights.get(name, top // 3) ** 1.3 for _, name, _ in sources]
    source_cumulative = list(accumulate(source_weights))
    media = [s for s in sources if s[2] in ("news_agency", "broadcaster", "newspaper")]

    def pick_source():
        return sources[bisect.bisect(source_cumulative, rng.random() * source_cumulative[-1])]

    pool = [chain.sentence(rng) for _ in range(min(200_000, max(2_000, statements // 4)))]
    progress(f"  {len(sources):,} sources, {len(pool):,} generated sentences to draw from")

    article_id = statement_id = attribution_id = 0
    made = Counter()
    started = now - timedelta(days=3 * 365)
    span_seconds = 3 * 365 * 86400
    expected_articles = max(1, statements // 46)  # the mean article below
    with connection.connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM articles_article")
        article_id = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM articles_statement")
        statement_id = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM attributions_attribution")
        attribution_id = cur.fetchone()[0]
        articles_copy = Copier(
            cur,
            Article,
            [
                "id",
                "title",
                "body",
                "content_hash",
                "original_filename",
                "publisher",
                "published_on",
                "created_at",
            ],
        )
        # COPY streams one table at a time: articles first, keeping the rest for later.
        statement_rows: list[list] = []
        attribution_rows: list[list] = []
        with articles_copy as copy:
            while made["statements"] < statements:
                article_id += 1
                count = 400 if rng.random() < 0.002 else rng.randint(10, 80)
                title = chain.sentence(rng, 6, 14).rstrip(".")[:300]
                pieces, offset = [title, "\n\n"], len(title) + 2
                # Imported in order over three years; published up to a month before.
                created = started + timedelta(seconds=made["articles"] * span_seconds / expected_articles)
                published = (created - timedelta(days=rng.randint(0, 30))).date()
                for i in range(count):
                    if i and i % 4 == 0:
                        pieces.append("\n\n")
                        offset += 2
                    elif i:
                        pieces.append(" ")
                        offset += 1
                    sentence = rng.choice(pool)
                    attributed = rng.random() < 0.55
                    mention = cue = None
                    if attributed:
                        source = pick_source()
                        cue_word = rng.choice(CUES)
                        if cue_word == "according to":
                            sentence = f"According to {source[1]}, {sentence[0].lower()}{sentence[1:]}"
                            cue = (offset, offset + 12)
                            mention = (offset + 13, offset + 13 + len(source[1]))
                        else:
                            sentence = f"{source[1]} {cue_word} {sentence[0].lower()}{sentence[1:]}"
                            mention = (offset, offset + len(source[1]))
                            cue = (mention[1] + 1, mention[1] + 1 + len(cue_word))
                    statement_id += 1
                    confirmed = attributed and rng.random() < 0.2
                    statement_rows.append(
                        [
                            statement_id,
                            article_id,
                            1 + i // 4,
                            offset,
                            offset + len(sentence),
                            sentence,
                            "attributed" if attributed else "no_source",
                            confirmed,
                            "engine",
                            False,
                            "",
                            0,
                        ]
                    )
                    if attributed:
                        attribution_id += 1
                        attribution_rows.append(
                            [
                                attribution_id,
                                statement_id,
                                source[0],
                                "source",
                                "confirmed" if confirmed else "suggested",
                                "According to" if cue_word == "according to" else cue_word,
                                cue[0],
                                cue[1],
                                source[1][:300],
                                mention[0],
                                mention[1],
                                round(rng.uniform(0.5, 0.95), 3),
                                "generated",
                                created,
                                created if confirmed else None,
                            ]
                        )
                        if media and rng.random() < 0.1:
                            outlet = rng.choice(media)
                            if outlet[0] != source[0]:
                                attribution_id += 1
                                attribution_rows.append(
                                    [
                                        attribution_id,
                                        statement_id,
                                        outlet[0],
                                        "via",
                                        "suggested",
                                        "",
                                        None,
                                        None,
                                        "",
                                        None,
                                        None,
                                        0.6,
                                        "generated",
                                        created,
                                        None,
                                    ]
                                )
                    pieces.append(sentence)
                    offset += len(sentence)
                    made["statements"] += 1
                body = "".join(pieces)
                copy.row(
                    [
                        article_id,
                        title,
                        body,
                        f"{seed:08x}{article_id:056x}",
                        f"generated-{article_id}.txt",
                        rng.choice(PUBLISHERS),
                        published,
                        created,
                    ]
                )
                made["articles"] += 1
        progress(f"  {made['articles']:,} articles written")
        with Copier(
            cur,
            Statement,
            [
                "id",
                "article_id",
                "paragraph",
                "start",
                "end",
                "text",
                "state",
                "reviewed",
                "span_origin",
                "is_frame",
                "note",
                "revision",
            ],
        ) as copy:
            for row in statement_rows:
                copy.row(row)
        made["statement_rows"] = len(statement_rows)
        del statement_rows
        progress(f"  {made['statements']:,} statements written")
        with Copier(
            cur,
            Attribution,
            [
                "id",
                "statement_id",
                "source_id",
                "role",
                "status",
                "cue",
                "cue_start",
                "cue_end",
                "mention",
                "mention_start",
                "mention_end",
                "confidence",
                "method",
                "created_at",
                "reviewed_at",
            ],
        ) as copy:
            for row in attribution_rows:
                copy.row(row)
        made["attributions"] = len(attribution_rows)
        del attribution_rows
        # A few cross-references between statements of different articles.
        with Copier(
            cur, CrossReference, ["from_statement_id", "to_statement_id", "relation", "created_at"]
        ) as copy:
            seen = set()
            for _ in range(statements // 200):
                a, b = rng.randint(1, statement_id), rng.randint(1, statement_id)
                if a != b and (a, b) not in seen:
                    seen.add((a, b))
                    copy.row([a, b, rng.choice(["same", "supports", "contradicts", "cites"]), now])
            made["cross_references"] = len(seen)
        for table in ("articles_article", "articles_statement", "attributions_attribution"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as cur:
        # What autovacuum does to a live database soon after a bulk load: statistics, and
        # the visibility map that lets counts use index-only scans.
        cur.execute("VACUUM ANALYZE")
    return dict(made)
