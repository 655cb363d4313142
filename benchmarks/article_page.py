#!/usr/bin/env python3
"""The article page's own time, in-process, on an existing database it only reads.

Asks for ``/articles/<pk>/`` of the articles with the most statements (400 in the database
benchmarks/pages_at_scale.py leaves behind) through Django's test client, the whole
middleware stack included, as a reader and as an editor, and prints the ``Server-Timing``
app time (p50 and p95, ms) over several rounds. Optionally saves every page (to compare the
markup of two versions byte for byte) and profiles a few requests with cProfile.

    .venv/bin/python benchmarks/article_page.py [--database URL] [--rounds 5] [--profile 3]
        [--save DIR] [--tree PATH]

Nothing is written to the database: on PostgreSQL the connection is read-only, the cache is
in memory, sessions live in signed cookies, and the editor's "who else is on this article"
mark (a write the page makes) is left out. ``--tree`` measures another checkout of the code
(the version before a change, say) with this same script.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_environment, percentile

BENCH_URL = "postgres://postgres@127.0.0.1:5432/attribution_bench_pages"


def setup(tree: Path, database_url: str) -> None:
    """Django from ``tree`` on ``database_url``, unable to write to it."""
    sys.path.insert(0, str(tree))
    django_environment(database_url)
    os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "0")
    os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "0")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_READER_PAGE_CACHE_SECONDS"] = "0"
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = "-c default_transaction_read_only=on"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    import django

    django.setup()


def editor_client():
    """A client logged in as an existing editor, with no session row and no login record."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import Client

    user = User.objects.filter(groups__name="Editors", is_active=True).order_by("pk").first()
    if user is None:
        return None
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def app_ms(response) -> float:
    for part in response["Server-Timing"].split(","):
        name, _, rest = part.strip().partition(";")
        if name == "app":
            return float(rest.split("dur=")[1].split(";")[0])
    raise ValueError(response["Server-Timing"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=BENCH_URL)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="profile this many requests")
    parser.add_argument("--save", type=Path, help="save each page's HTML in this folder")
    parser.add_argument("--no-editor", action="store_true")
    args = parser.parse_args()
    setup(args.tree.resolve(), args.database)

    from django.db.models import Count
    from django.test import Client

    from articles.models import Article

    pks = list(
        Article.objects.annotate(n=Count("statements"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[: args.articles]
    )
    clients = {"reader": Client()}
    if not args.no_editor and (editor := editor_client()) is not None:
        clients["editor"] = editor
    print(f"code of {args.tree.resolve()}, database {args.database}")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    # The editor's presence mark is a write: this script only reads.
    with mock.patch("attributions.presence.touch"):
        for who, client in clients.items():
            times: list[float] = []
            queries = size = 0
            for round_number in range(args.rounds):
                for pk in pks:
                    response = client.get(f"/articles/{pk}/")
                    # 410: a withdrawn article, as readers find it
                    assert response.status_code in (200, 410), (pk, response.status_code)
                    times.append(app_ms(response))
                    size = len(response.content)
                    queries = int(response["Server-Timing"].split('desc="')[1].split()[0])
                    if args.save and round_number == 0:
                        (args.save / f"{who}-{pk}.html").write_bytes(response.content)
            print(
                f"{who}: {len(pks)} articles x {args.rounds} rounds: p50 {statistics.median(times):.1f} ms, "
                f"p95 {percentile(times, 0.95):.1f} ms, {queries} queries, {size / 1024:.0f} KB"
            )
            for pk in pks[: args.profile]:
                profiler = cProfile.Profile()
                started = time.perf_counter()
                profiler.runcall(client.get, f"/articles/{pk}/")
                print(f"\n{who} /articles/{pk}/ profiled: {(time.perf_counter() - started) * 1000:.0f} ms")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
