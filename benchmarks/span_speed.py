#!/usr/bin/env python3
"""Server time of editors' span changes in a long article: tagging words as a statement
(splitting the one they sit in), narrowing, marking the speaker, splitting and merging,
each through the whole request (middleware, form, action, the fragments of the answer), in
a throwaway database.

    .venv/bin/python benchmarks/span_speed.py                 # SQLite, 400 statements
    .venv/bin/python benchmarks/span_speed.py --postgres      # PostgreSQL on 127.0.0.1

Prints the median and 95th percentile per request, and, as the ratio measured in the same
run, the time of the reader's page of the same article (the page a tag redraws part of).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_for, percentile

NAMES = ["Ana Ruiz", "Tomas Berg", "Lena Okafor", "Marco Santos", "Sofia Novak", "Pavel Haddad"]


def article_text(statements: int) -> str:
    """Sentences of real length (about 30 words), four to a paragraph, each attributed."""
    paragraphs, sentences = [], []
    for i in range(statements):
        sentences.append(
            f"{NAMES[i % len(NAMES)]} said the harbour authority would reopen the northern quay on "
            f"day {i + 1} once the divers had checked every mooring and the pilots had agreed a new "
            "timetable with the ferry companies."
        )
        if len(sentences) == 4:
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "Harbour voices\n\n" + "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=400)
    parser.add_argument("--tags", type=int, default=40, help="span changes to time")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp()
    url = (
        "postgres://postgres@127.0.0.1:5432/attribution_bench_spans"
        if args.postgres
        else f"sqlite:///{workdir}/bench.sqlite3"
    )
    if args.postgres:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS attribution_bench_spans")
            admin.execute("CREATE DATABASE attribution_bench_spans")
    django_for(url)

    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from articles.importing import Item, run_import
    from articles.models import Article, ImportBatch
    from attributions.models import Source
    from attributions.registry import load_sources

    load_sources()
    text = article_text(args.statements)
    batch = run_import([Item("harbour.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(batch=batch)
    count = article.statements.count()
    editor = User.objects.create_user("bench-editor")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    client = Client(HTTP_HX_REQUEST="true", SERVER_NAME="testserver")
    client.force_login(editor)
    reuters = Source.objects.get(slug="reuters")

    def page() -> float:
        started = time.perf_counter()
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return time.perf_counter() - started

    page()  # warm caches and templates
    page_times = [page() for _ in range(10)]

    def timed(name: str, statement, data: dict) -> float:
        statement.refresh_from_db(fields=["revision"])
        article.refresh_from_db(fields=["spans_revision"])
        started = time.perf_counter()
        response = client.post(
            reverse(f"editing:{name}", args=[statement.pk, statement.revision]),
            {"origin": "article", "spans_revision": article.spans_revision, **data},
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (name, response.content[:300])
        return elapsed

    times: dict[str, list[float]] = {"tag": [], "resize": [], "split": [], "merge": [], "mark": []}
    statements = list(article.statements.order_by("start"))
    step = max(1, len(statements) // args.tags)
    for statement in statements[::step][: args.tags]:
        at = article.body.index("would reopen the northern quay", statement.start)
        article.refresh_from_db(fields=["spans_revision"])
        started = time.perf_counter()
        response = client.post(
            reverse("editing:tag", args=[article.pk, article.spans_revision]),
            {
                "start": at,
                "end": at + len("would reopen the northern quay"),
                "source": reuters.pk,
                "origin": "article",
            },
        )
        times["tag"].append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        # The left part (the statement, narrowed): widen it, mark its speaker, split and merge it.
        statement.refresh_from_db()
        times["resize"].append(timed("resize", statement, {"edge": "end", "step": -1}))
        times["mark"].append(
            timed(
                "mark", statement, {"kind": "mention", "start": statement.start, "end": statement.start + 3}
            )
        )
        statement.refresh_from_db()
        cut = statement.start + statement.text.index(" said") + 1
        times["split"].append(timed("split", statement, {"at": cut}))
        statement.refresh_from_db()
        following = article.statements.filter(start__gte=statement.end).order_by("start").first()
        times["merge"].append(
            timed("merge", statement, {"following": following.pk, "following_revision": following.revision})
        )
    final = article.statements.count()
    tag_times = times["tag"]

    def ms(value: float) -> str:
        return f"{value * 1000:.1f} ms"

    print(f"database: {connection.vendor}; article of {count} statements ({final} after the tags)")
    labels = {
        "tag": "tag a clause (split + new statement)",
        "resize": "narrow the end by a word",
        "mark": "mark the speaker",
        "split": "split at a word",
        "merge": "merge with the next statement",
    }
    for name, values in times.items():
        print(
            f"{labels[name]}: median {ms(statistics.median(values))}, "
            f"p95 {ms(percentile(values, 0.95))} over {len(values)} requests"
        )
    print(
        f"reader's article page, same article: median {ms(statistics.median(page_times))}, "
        f"p95 {ms(percentile(page_times, 0.95))}"
    )
    ratio = statistics.median(tag_times) / statistics.median(page_times)
    print(f"ratio tag / article page (medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
