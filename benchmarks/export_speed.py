#!/usr/bin/env python3
"""Exports at scale: rows per second and peak memory of ``export_attributions``.

Uses the database benchmarks/pages_at_scale.py builds (``attribution_bench_pages``, a million
statements; built here first if missing). Each format is written for the first articles
holding about ``--rows`` statements (400,000 by default) and for a tenth of them, by
``manage.py export_attributions`` in its own process: the wall time gives rows/s, the child's
``getrusage`` peak RSS the memory (the same at a tenth and at the whole shows it is constant).

The ratio is to PostgreSQL alone: ``COPY (statements and their attributions joined) TO
STDOUT`` of the same rows in the same run, the least any export of them could take.

    .venv/bin/python benchmarks/export_speed.py [--rows 400000] [--formats csv jsonl jsonld]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PYTHON, ROOT, server_environment
from pages_at_scale import URL, prepare


def articles_holding(rows: int) -> tuple[list[int], int]:
    """The first articles (by id) holding at least ``rows`` statements, and how many they hold."""
    from django.db.models import Count

    from articles.models import Article

    ids, total = [], 0
    counted = Article.objects.annotate(n=Count("statements")).order_by("pk").values_list("pk", "n")
    for pk, n in counted.iterator():
        ids.append(pk)
        total += n
        if total >= rows:
            break
    return ids, total


def copy_seconds(article_ids: list[int]) -> float:
    """PostgreSQL writing the same statements with their attributions, as CSV, to nowhere."""
    import psycopg

    last = max(article_ids)
    query = (
        "COPY (SELECT s.id, s.article_id, s.start, s.end, s.text, s.state, a.role, a.status, a.source_id,"
        " a.mention, a.cue, a.confidence FROM articles_statement s LEFT JOIN attributions_attribution a"
        f" ON a.statement_id = s.id WHERE s.article_id <= {last} ORDER BY s.article_id, s.start) TO STDOUT"
        " WITH (FORMAT csv)"
    )
    started = time.perf_counter()
    with (
        psycopg.connect(URL.replace("postgres://", "postgresql://")) as conn,
        conn.cursor() as cursor,
        cursor.copy(query) as copy,
    ):
        for _ in copy:
            pass
    return time.perf_counter() - started


def run_export(article_ids: list[int], fmt: str) -> tuple[float, float, int]:
    """Seconds, the exporting process's peak RSS (MB) and the bytes written."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"export.{fmt}"
        ids = Path(folder) / "ids"
        ids.write_text(" ".join(map(str, article_ids)))
        # The ids go through a file: 10,000 of them on a command line is near the limit.
        script = (
            "import sys, django; django.setup();"
            "from django.core.management import call_command;"
            "ids = [int(x) for x in open(sys.argv[1]).read().split()];"
            "call_command('export_attributions', *map(str, ids), format=sys.argv[2], out=sys.argv[3])"
        )
        env = server_environment(
            URL, DJANGO_SETTINGS_MODULE="project.settings", DJANGO_ALLOWED_HOSTS="testserver"
        )
        started = time.perf_counter()
        pid = subprocess.Popen([PYTHON, "-c", script, str(ids), fmt, str(out)], cwd=ROOT, env=env).pid
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"export_attributions --format {fmt} failed")
        return seconds, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl", "jsonld"])
    parser.add_argument(
        "--statements", type=int, default=1_000_000, help="size of the database if built here"
    )
    args = parser.parse_args()
    prepare(args.statements, keep=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for rows in (args.rows // 10, args.rows):
        ids, total = articles_holding(rows)
        copy = copy_seconds(ids)
        print(f"\n{total:,} statements of {len(ids):,} articles; PostgreSQL's COPY of them: {copy:.1f} s")
        print(f"{'format':8} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'size MB':>8} {'x COPY':>7}")
        for fmt in args.formats:
            seconds, peak, size = run_export(ids, fmt)
            print(
                f"{fmt:8} {seconds:8.1f} {total / seconds:8,.0f} {peak:8.0f} {size / 1e6:8.1f} "
                f"{seconds / copy:7.1f}"
            )
    print(f"\nload at the end {os.getloadavg()[0]:.1f}; peak RSS includes Python and Django (~60 MB)")


if __name__ == "__main__":
    main()
