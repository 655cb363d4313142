#!/usr/bin/env python3
"""Reader and editor page times at scale on PostgreSQL (default: a million statements).

Builds a throwaway database `attribution_bench_pages` with generated rows (SQL
generate_series: 50,000 articles x 20 statements, ~40% attributed, sources skewed so
that a few have hundreds of thousands of statements), then requests each page through
the whole Django stack and prints the median and worst of several runs, with the number
of queries each page ran.

    .venv/bin/python benchmarks/pages_at_scale.py [--articles 50000] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_for

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "attribution_bench_pages"
PER_ARTICLE = 20
WIDTH = 100  # every generated sentence is padded to this width, so offsets are exact


def build(articles: int) -> None:
    from django.db import connection

    from attributions.models import Source
    from attributions.registry import load_sources

    load_sources()
    sources = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO articles_article
                (title, body, content_hash, original_filename, publisher, url, created_at)
            SELECT rpad('Generated article ' || g, 40),
                   rpad('Generated article ' || g, 40) || E'\\n\\n' || (
                     SELECT string_agg(rpad('Officials said strike ' || i || ' near town ' || (g %% 997)
                                            || ' hit homes and a school.', %s - 1) || ' ', '' ORDER BY i)
                     FROM generate_series(0, %s - 1) i),
                   md5(g::text) || md5((g * 7)::text), 'gen-' || g || '.txt', '', '',
                   now() - (g || ' seconds')::interval
            FROM generate_series(1, %s) g
            """,
            [WIDTH, PER_ARTICLE, articles],
        )
        cur.execute(
            """
            INSERT INTO articles_statement
                (article_id, ordinal, paragraph, start, "end", text, is_own_claim, note, revision)
            SELECT a.id, i, 1 + i / 5, 42 + i * %s, 42 + i * %s + %s - 1,
                   substr(a.body, 43 + i * %s, %s - 1), false, '', 0
            FROM articles_article a, generate_series(0, %s - 1) i
            """,
            [WIDTH, WIDTH, WIDTH, WIDTH, WIDTH, PER_ARTICLE],
        )
        cur.execute(
            """
            INSERT INTO attributions_attribution
                (statement_id, source_id, role, status, cue, cue_start, cue_end,
                 mention, mention_start, mention_end, confidence, method, created_at)
            SELECT s.id, (%s::bigint[])[1 + floor(power(random(), 3) * %s)::int], 'source',
                   CASE WHEN random() < 0.2 THEN 'confirmed' ELSE 'suggested' END,
                   'said', s.start + 10, s.start + 14, 'Officials', s.start, s.start + 9, 0.8,
                   'say-verb-pre', now()
            FROM articles_statement s WHERE random() < 0.4
            """,
            [sources, len(sources)],
        )
        # What autovacuum does to a live database soon after a bulk load: statistics, and the
        # visibility map that lets counts use index-only scans.
        cur.execute("VACUUM ANALYZE")


def timed(client, url: str, runs: int = 7):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing benchmark database")
    args = parser.parse_args()
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
        fresh = not (args.keep and exists)
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME}")
            conn.execute(f"CREATE DATABASE {NAME}")
    django_for(f"postgres://postgres@127.0.0.1:5432/{NAME}")
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from articles.models import Article, Statement
    from attributions.models import Attribution, Source

    if fresh:
        started = time.perf_counter()
        build(args.articles)
        print(f"built in {time.perf_counter() - started:.0f} s")
    print(
        f"rows: {Article.objects.count():,} articles, {Statement.objects.count():,} statements, "
        f"{Attribution.objects.count():,} attributions"
    )
    top = Source.objects.filter(attributions__isnull=False).order_by("pk").first()
    article = Article.objects.order_by("-created_at").first()
    middle = Article.objects.order_by("pk")[args.articles // 2]
    statement = middle.statements.order_by("ordinal")[5]
    reader = Client()
    editor = Client()
    user, _ = User.objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    editor.force_login(user)
    pages = [
        ("home", reader, "/"),
        ("articles, page 1", reader, "/articles/"),
        ("articles, page 1000", reader, "/articles/?page=1000"),
        ("article (newest)", reader, article.get_absolute_url()),
        ("statement", reader, statement.get_absolute_url()),
        ("sources", reader, "/sources/"),
        (f"source {top.name}, page 1", reader, top.get_absolute_url()),
        (f"source {top.name}, page 500", reader, top.get_absolute_url() + "?page=500"),
        ("search 'strike school'", reader, "/search/?q=strike+school"),
        ("search 'town 42'", reader, "/search/?q=town+42"),
        ("review queue", editor, "/edit/review/"),
        ("link candidates", editor, f"/edit/statements/{statement.pk}/link-search/"),
    ]
    print(f"{'page':42} {'median ms':>10} {'worst ms':>9} {'queries':>8}")
    for name, client, url in pages:
        median, worst, queries = timed(client, url)
        print(f"{name:42} {median:10.1f} {worst:9.1f} {queries:8d}")


if __name__ == "__main__":
    main()
