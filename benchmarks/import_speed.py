#!/usr/bin/env python3
"""Import throughput: N generated articles through the whole import (decode, segment,
suggest, store), into a throwaway database. Prints files/s, MB/s and statements/s.

    .venv/bin/python benchmarks/import_speed.py --articles 500
    .venv/bin/python benchmarks/import_speed.py --articles 500 --postgres
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_for

SPEAKERS = [
    "Amnesty International",
    "Tass",
    "PressTV",
    "the Syrian foreign ministry",
    "Reuters",
    "a spokesman for the coalition",
    "Experts",
    "Officials",
    "Donald Trump",
    "The UN",
]
VERBS = ["said", "reported", "stated", "told reporters", "warned", "claimed", "added"]
FACTS = [
    "the convoy reached the town before dawn",
    "at least twelve houses were damaged",
    "the talks would resume next week",
    "the bridge had been closed since Monday",
    "aid deliveries were delayed by fighting",
    "the figures could not be verified",
]


def article(rng: random.Random, n: int) -> bytes:
    lines = [f"Generated report {n} on the situation in the region", ""]
    for _ in range(rng.randint(4, 9)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.random()
            fact = rng.choice(FACTS)
            if kind < 0.4:
                sentences.append(f"{rng.choice(SPEAKERS)} {rng.choice(VERBS)} that {fact}.")
            elif kind < 0.55:
                sentences.append(f"According to {rng.choice(SPEAKERS)}, {fact}.")
            elif kind < 0.7:
                sentences.append(f"“{fact.capitalize()},” {rng.choice(SPEAKERS)} said.")
            else:
                sentences.append(f"{fact.capitalize()} on day {rng.randint(1, 300)}.")
        lines += [" ".join(sentences), ""]
    return "\n".join(lines).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument(
        "--postgres", action="store_true", help="use postgres://postgres@127.0.0.1/attribution_bench"
    )
    args = parser.parse_args()
    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS attribution_bench_import")
            conn.execute("CREATE DATABASE attribution_bench_import")
        url = "postgres://postgres@127.0.0.1:5432/attribution_bench_import"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    django_for(url)
    from articles.importing import Item, run_import
    from articles.models import ImportBatch, Statement
    from attributions.models import Attribution
    from attributions.registry import load_sources

    load_sources()
    rng = random.Random(7)
    items = [Item(f"gen-{n}.txt", data=article(rng, n)) for n in range(args.articles)]
    size = sum(len(i.data) for i in items)
    started = time.perf_counter()
    batch = run_import(items, origin=ImportBatch.Origin.COMMAND)
    elapsed = time.perf_counter() - started
    statements = Statement.objects.count()
    print(f"database      {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(
        f"files         {batch.imported_count} imported, {batch.duplicate_count} duplicate, "
        f"{batch.failed_count} failed"
    )
    print(f"text          {size / 1e6:.2f} MB")
    print(f"statements    {statements} ({Attribution.objects.count()} suggested attributions)")
    print(f"time          {elapsed:.2f} s")
    print(
        f"throughput    {batch.total_count / elapsed:.1f} files/s, {size / 1e6 / elapsed:.3f} MB/s, "
        f"{statements / elapsed:.0f} statements/s"
    )


if __name__ == "__main__":
    main()
