#!/usr/bin/env python3
"""Reader and editor pages at a million statements, served as in production.

Fills a throwaway PostgreSQL database (``attribution_bench_pages``; see _scale_data: news
word frequencies learnt from ../shared/eval at run time, sources sized as annotated) and
serves it with gunicorn (2 workers, DEBUG off) on loopback. Each page kind is then asked for:

- **first count**: the home page's first request with an empty shared cache, when the site's
  figures are counted in the request (once per deployment: afterwards imports and edits only
  mark them changed and a background thread counts them again while pages show the last);
- **cold**: right after the server starts, each of up to 30 different URLs of the kind once
  (different articles, statements, search words, page depths), so nothing of them is in the
  server's memory; the shared cache holds the site's figures as an import leaves them (every
  reader figure counted, as the import does at its end);
- **warm**: three of those URLs in turn, 30 requests in all.

Figures are the server's own time from the ``Server-Timing`` header (p50 and p95, ms), the
queries it ran and the size of the page; the ratio is the warm p50 over that of a static file
served by the same server in the same run. Kept reader pages are off here (every request is
rendered); benchmarks/reader_load.py measures the app as deployed, with them.

    .venv/bin/python benchmarks/pages_at_scale.py [--statements 1000000] [--keep] [--runs 30] [--slowest N]

``--keep`` reuses the database of an earlier run (building a million statements takes a few
minutes); it is left in place afterwards either way, for benchmarks/reader_load.py.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    django_for,
    free_port,
    get,
    gunicorn,
    manage,
    percentile,
    server_environment,
    server_timing,
    stop_server,
)

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "attribution_bench_pages"
URL = f"postgres://postgres@127.0.0.1:5432/{NAME}"


@dataclass
class Kind:
    name: str
    urls: list[str]
    editor: bool = False
    cold: list[float] = field(default_factory=list)
    cold_urls: list[str] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    queries: int = 0
    size: int = 0


def prepare(statements: int, keep: bool) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
        fresh = not (keep and exists)
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME}")
            conn.execute(f"CREATE DATABASE {NAME}")
    django_for(URL)
    if fresh:
        from _scale_data import build

        started = time.perf_counter()
        print(f"building {statements:,} statements ...")
        made = build(statements)
        print(f"built in {time.perf_counter() - started:.0f} s: {made}")


def word_counts(sample: int = 20_000) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Words and word pairs of a sample of statements by frequency (to pick common and rare
    words, and phrases that occur)."""
    from collections import Counter

    from articles.models import Statement

    words: Counter = Counter()
    pairs: Counter = Counter()
    last = Statement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(1, last // sample)
    for text in Statement.objects.filter(pk__in=range(1, last + 1, step)).values_list("text", flat=True):
        found = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        words.update(w for w in found if len(w) >= 4)
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(found) if len(a) >= 3 and len(b) >= 3)
    return words.most_common(), pairs.most_common(200)


def pages(rng: random.Random) -> list[Kind]:
    from django.db.models import Count

    from articles.models import Article, Statement
    from articles.paging import encode_cursor
    from attributions.models import Attribution, Source

    article_ids = list(Article.objects.order_by("-created_at", "-pk").values_list("created_at", "pk"))
    big = list(
        Article.objects.annotate(n=Count("statements")).filter(n__gte=400).values_list("pk", flat=True)[:30]
    )
    last = Statement.objects.order_by("-pk").values_list("pk", flat=True).first()
    statements = [rng.randint(1, last) for _ in range(30)]
    top = list(
        Attribution.objects.filter(role="source")
        .values_list("source")
        .annotate(n=Count("pk"))
        .order_by("-n")[:30]
    )
    slugs = dict(Source.objects.filter(pk__in=[s for s, _ in top]).values_list("pk", "slug"))
    biggest, biggest_count = top[0]

    def deep_source(source_id: int, depth: int) -> str:
        edge = (
            Attribution.objects.filter(source_id=source_id, role="source")
            .order_by("-statement_id")
            .values_list("statement_id", flat=True)[depth * 30 : depth * 30 + 1]
        )
        cursor = encode_cursor((edge[0],)) if edge else ""
        return f"/sources/{slugs[source_id]}/?role=source&older={cursor}"

    words, pairs = word_counts()
    common = [w for w, _ in words[:15]]
    rare = [w for w, n in words if n == 2][:15]
    phrases = [p for p, _ in pairs[:: max(1, len(pairs) // 14)]][:14]
    print(f"  biggest source {slugs[biggest]}: {biggest_count:,} statements")
    print(f"  common words {common[:6]}; rare {rare[:6]}; phrases {phrases[:4]}")
    searches_common = ["said", "president", *common][:30]
    return [
        Kind("home", ["/"]),
        Kind(
            "articles, any page",
            ["/articles/"]
            + [
                "/articles/?older=" + encode_cursor(article_ids[rng.randint(1, len(article_ids) - 1)])
                for _ in range(29)
            ],
        ),
        Kind(
            "source page, any depth",
            [f"/sources/{slugs[biggest]}/"]
            + [deep_source(biggest, rng.randint(1, max(1, biggest_count // 30 - 1))) for _ in range(14)]
            + [f"/sources/{slugs[s]}/" for s, _ in top[1:16]],
        ),
        Kind("statement", [f"/statements/{pk}/" for pk in statements]),
        Kind(f"article of {400} statements", [f"/articles/{pk}/" for pk in big] or ["/articles/1/"]),
        Kind("search, common words", [f"/search/?q={quote(w)}" for w in searches_common]),
        Kind("search, rare words", [f"/search/?q={quote(w)}" for w in rare] or ["/search/?q=zzzz"]),
        Kind(
            "search, phrases",
            ["/search/?q=%22white+house%22", "/search/?q=%22the+president%22"]
            + [f"/search/?q={quote(chr(34) + p + chr(34))}" for p in phrases],
        ),
        Kind(
            "search, with filters",
            [f"/search/?q=said&source={quote(slugs[s])}" for s, _ in top[:10]]
            + [f"/search/?q={quote(w)}&state=attributed&publisher=Publisher+C" for w in common[:10]]
            + [f"/search/?q={quote(w)}&since=2025-01-01&until=2025-03-31" for w in common[:10]],
        ),
        Kind(
            "review queue",
            ["/edit/review/"] + [f"/edit/review/?source={quote(slugs[s])}" for s, _ in top[:29]],
            editor=True,
        ),
    ]


def editor_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = User.objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def ask(port: int, url: str, cookie: str | None) -> tuple[float, int, int]:
    status, headers, body = get(port, url, {"Cookie": cookie} if cookie else None)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    timing = server_timing(headers)
    queries = re.search(r"(\d+) queries", headers.get("Server-Timing", ""))
    return timing["app"], int(queries.group(1)) if queries else 0, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--slowest", type=int, default=0, help="list each kind's N slowest cold URLs")
    args = parser.parse_args()
    prepare(args.statements, args.keep)
    from django.core.cache import cache

    import attributions.counts  # noqa: F401 (registers the source figures for refresh)
    from articles import figures
    from articles.models import Article, Statement
    from attributions.models import Attribution, Source

    print(
        f"rows: {Article.objects.count():,} articles, {Statement.objects.count():,} statements, "
        f"{Attribution.objects.count():,} attributions, {Source.objects.count():,} sources"
    )
    load_before = os.getloadavg()[0]
    kinds = pages(random.Random(11))
    cookie = editor_cookie()
    cache.clear()  # cold: nothing cached from an earlier run
    port = free_port()
    # Every page rendered, never served from the kept reader pages (project/pagecache.py):
    # these are the times of the pages themselves, a visitor's first view of each.
    env = server_environment(URL, DJANGO_READER_PAGE_CACHE_SECONDS="0")
    manage(env, "collectstatic", "--noinput", "-v0")  # the static file of the ratio, as deployed
    server = gunicorn(env, port)
    try:
        first_count, _, _ = ask(port, "/", None)
        # Then every reader figure, as an import counts them at its end: the state pages are
        # in after loading data (otherwise a source page's first view would count the whole
        # directory in the background while the next pages are measured).
        started = time.perf_counter()
        figures.refresh(*figures.READER_FIGURES)
        all_counts = (time.perf_counter() - started) * 1000
        for kind in kinds:  # cold: each URL's first request since the server started
            for url in kind.urls:
                app, kind.queries, kind.size = ask(port, url, cookie if kind.editor else None)
                kind.cold.append(app)
                kind.cold_urls.append(url)
        static_wall = []
        for _ in range(args.runs):
            started = time.perf_counter()
            status, _, _ = get(port, "/static/css/app.css")
            assert status == 200, status
            static_wall.append((time.perf_counter() - started) * 1000)
        for kind in kinds:
            for number in range(args.runs):
                app, kind.queries, kind.size = ask(
                    port, kind.urls[number % min(3, len(kind.urls))], cookie if kind.editor else None
                )
                kind.warm.append(app)
    finally:
        stop_server(server)
    static = statistics.median(static_wall)
    print(f"\nstatic file /static/css/app.css: p50 {static:.1f} ms (wall, same server)")
    print(f"home, first count with an empty shared cache: {first_count:.0f} ms (once per deployment)")
    print(f"every reader figure counted, as at an import's end: {all_counts:.0f} ms (in this process)")
    columns = ("cold p50", "cold p95", "warm p50", "warm p95", "queries", "KB", "x static")
    print(f"{'page':30} " + " ".join(f"{c:>9}" for c in columns))
    for kind in kinds:
        warm50 = statistics.median(kind.warm)
        print(
            f"{kind.name:30} {statistics.median(kind.cold):9.1f} {percentile(kind.cold, 0.95):9.1f} "
            f"{warm50:9.1f} {percentile(kind.warm, 0.95):9.1f} {kind.queries:9d} {kind.size / 1024:9.0f} "
            f"{warm50 / static:9.1f}"
        )
    print("(server ms from Server-Timing; cold: each URL's first request; warm: 3 URLs in turn)")
    if args.slowest:
        print("slowest cold requests:")
        for kind in kinds:
            slowest = sorted(zip(kind.cold, kind.cold_urls, strict=True), reverse=True)[: args.slowest]
            print(f"  {kind.name}: " + ", ".join(f"{ms:.0f} ms {url}" for ms, url in slowest))
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load {load_before:.1f} at the start, {load:.1f} at the end")


if __name__ == "__main__":
    main()
