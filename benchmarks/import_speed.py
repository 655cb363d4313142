#!/usr/bin/env python3
"""Import speed on generated articles of real size and shape (about 4.6 KB and 38 statements
each: a headline, a dateline, paragraphs of one to three sentences, quotes, named speakers
many of whom the registry does not know), into a throwaway database.

    .venv/bin/python benchmarks/import_speed.py --articles 2000            # SQLite
    .venv/bin/python benchmarks/import_speed.py --articles 2000 --postgres
    .venv/bin/python benchmarks/import_speed.py --articles 2000 --postgres --workers 1,2,3

Prints, measured in this run on the same texts:
- the engine alone (``extract``): CPU per article, in a process of its own;
- the whole import (``import_articles FOLDER``, one process): CPU per article of the importing
  process (getrusage), its ratio to the engine's, wall time, files/s, MB/s, the process's peak
  RSS, and PostgreSQL's own CPU (its backends for this database, read from /proc);
- with ``--workers``: first how much two processes get done at once on the machine right now
  (the engine alone, twice side by side, against once: other work on the machine shares its
  cores), then one batch queued (``import_articles --background``) and imported by 1, 2, 3 ...
  ``db_worker`` processes at once, wall time each and the speed-up over one worker.

Databases: ``attribution_bench_imp`` on the local PostgreSQL (dropped and created each run), or
an SQLite file in a temporary folder. Also prints the machine's load average before each part.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "attribution_bench_imp"

FIRST = [
    "Ana",
    "Omar",
    "Lena",
    "Marco",
    "Sofia",
    "Yusuf",
    "Irina",
    "Tomas",
    "Mei",
    "Kofi",
    "Elena",
    "Diego",
    "Hana",
    "Pavel",
    "Nadia",
    "Samir",
    "Clara",
    "Ivan",
    "Leila",
    "Jonas",
]
LAST = [
    "Ruiz",
    "Haddad",
    "Novak",
    "Berg",
    "Costa",
    "Mensah",
    "Petrov",
    "Kim",
    "Larsen",
    "Okafor",
    "Duarte",
    "Sato",
    "Weber",
    "Rahimi",
    "Silva",
    "Ionescu",
    "Brandt",
    "Amari",
    "Lindqvist",
    "Moreau",
]
KNOWN = ["Amnesty International", "Tass", "PressTV", "Reuters", "the Syrian foreign ministry", "The UN"]
ROLES = ["a spokesman for the ministry", "the city's mayor", "a local council member", "an aid worker"]
UNNAMED = ["Officials", "Experts", "Witnesses", "Residents", "Analysts"]
VERBS = ["said", "told reporters", "said on Monday", "added", "warned", "stated", "claimed"]
PLACES = [
    "the port",
    "the northern district",
    "the old bridge",
    "the market",
    "the border crossing",
    "the hospital",
]
FACTS = [
    "the convoy reached {place} before dawn after a night of delays",
    "at least {n} houses near {place} were damaged in the storm",
    "the talks over {place} would resume next week in the capital",
    "the road to {place} had been closed since {day} for repairs",
    "aid deliveries to {place} were delayed by heavy fighting nearby",
    "the figures about {place} could not be independently verified",
    "{n} families had left {place} since the start of the month",
    "the budget for {place} would rise by {n} percent next year",
]
PLAIN = [
    "The town has about {n},000 inhabitants and one main road.",
    "Fighting in the area began in {day} and has continued since.",
    "Prices at {place} have doubled over the past year.",
    "The region has seen several similar incidents this spring.",
    "Schools near {place} remained closed for a second week on {day}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "March", "April"]


TAILS = [
    " after weeks of uncertainty for the people who live and work there",
    " for the first time since the winter floods in the lower valley",
    " in the middle of the busiest season for the farmers of the region",
    " with the roads in and out of the area still under repair",
]


def _fill(rng: random.Random, template: str) -> str:
    text = template.format(place=rng.choice(PLACES), n=rng.randint(2, 90), day=rng.choice(DAYS))
    if text.endswith("."):
        return text
    return text + rng.choice(TAILS)


def _speaker(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}, {rng.choice(ROLES)},"
    if roll < 0.45:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if roll < 0.7:
        return rng.choice(KNOWN)
    return rng.choice(UNNAMED)


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    fact = _fill(rng, rng.choice(FACTS))
    if kind < 0.3:
        return f"{_speaker(rng)} {rng.choice(VERBS)} that {fact}."
    if kind < 0.42:
        return f"According to {rng.choice(KNOWN)}, {fact}."
    if kind < 0.6:
        return f"“{fact[0].upper()}{fact[1:]},” {rng.choice(FIRST)} {rng.choice(LAST)} said."
    if kind < 0.7:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return f"“We will not accept this,” {name} told reporters on {rng.choice(DAYS)}."
    return _fill(rng, rng.choice(PLAIN))


def article(rng: random.Random, n: int) -> str:
    lines = [f"Report {n}: {rng.choice(PLACES).capitalize()} waits for news as talks drag on", ""]
    lines.append(f"BEIRUT — {_sentence(rng)} {_sentence(rng)}")
    size = len(lines[-1])
    while size < 4400:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.choice((1, 1, 2, 2, 3))))
        lines += ["", paragraph]
        size += len(paragraph) + 2
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int) -> int:
    rng = random.Random(7)
    total = 0
    for n in range(count):
        data = article(rng, n).encode("utf-8")
        (folder / f"article-{n:06}.txt").write_bytes(data)
        total += len(data)
    return total


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"


# --------------------------------------------------------------------------- databases


def fresh_database(postgres: bool) -> str:
    if postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-imp-')}/bench.sqlite3"
    env = bench_env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_sources"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return url


def bench_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DATABASE_CONN_MAX_AGE="600",  # one backend per worker, whose CPU is read at the end
        DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_PLAIN_STATIC="1",
        TASKS_BACKEND="database",
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.pop("DJANGO_DEBUG", None)
    return env


class PostgresCPU:
    """CPU seconds of this database's backends, polled from /proc while a run lasts (a backend's
    last reading counts after it exits)."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.running = True
        self.tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while self.running:
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
                    if PG_NAME.encode() not in cmdline or not cmdline.startswith(b"postgres"):
                        continue
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[int(entry)] = (int(fields[11]) + int(fields[12])) / self.tick
            time.sleep(0.1)

    def __enter__(self) -> PostgresCPU:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.15)
        self.running = False
        self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


# --------------------------------------------------------------------------- the parts


def child(argv: list[str], env: dict) -> dict:
    """Run this script's --child mode in a fresh process; it prints one JSON line."""
    out = subprocess.run(
        [sys.executable, __file__, *argv], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(mode: str, folder: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    texts = (
        [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
        if mode == "engine"
        else []
    )
    from attributions.suggesting import build_lexicon

    lexicon = build_lexicon()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if mode == "engine":
        from attributions.engine import extract

        statements = sum(len(extract(text, lexicon)) for text in texts)
    else:
        from django.core.management import call_command
        from django.core.management.base import CommandError

        with contextlib.suppress(CommandError), open(os.devnull, "w") as quiet:
            call_command("import_articles", folder, "--no-progress", "--quiet-ok", stdout=quiet)
        from articles.models import Statement

        statements = Statement.objects.count()
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                "system": after.ru_stime - before.ru_stime,
                "wall": time.perf_counter() - started,
                "rss_mb": after.ru_maxrss / 1024,
                "statements": statements,
            }
        )
    )


def workers_run(url: str, folder: str, count: int) -> tuple[float, float]:
    """Queue one batch, then import it with ``count`` db_worker processes at once."""
    env = bench_env(url)
    subprocess.run(
        [sys.executable, "manage.py", "import_articles", folder, "--background"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    with PostgresCPU() as pg:
        started = time.perf_counter()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "-v0",
                ],
                cwd=ROOT,
                env=env,
            )
            for _ in range(count)
        ]
        for proc in procs:
            proc.wait()
        wall = time.perf_counter() - started
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from articles.models import ImportBatch as B; b = B.objects.get(); "
            "print(b.state, b.imported_count, b.total_files)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-3:]
    assert check[0] == "done" and check[1] == check[2], f"the batch did not complete: {check}"
    return wall, pg.seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true", help=f"PostgreSQL database {PG_NAME}")
    parser.add_argument("--workers", default="", help="e.g. 1,2,3: worker scaling (PostgreSQL)")
    parser.add_argument("--scaling-only", action="store_true", help="only the worker scaling")
    parser.add_argument("--child", choices=["engine", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.folder)
        return

    folder = tempfile.mkdtemp(prefix="bench-imp-articles-")
    size = generate(Path(folder), args.articles)
    n = args.articles
    print(f"articles      {n} generated, {size / n / 1000:.1f} KB each on average ({size / 1e6:.1f} MB)")
    url = fresh_database(args.postgres)
    env = bench_env(url)
    print(f"database      {'PostgreSQL' if args.postgres else 'SQLite'}")

    if not args.scaling_only:
        measure_import(args, folder, size, env)
    if args.workers:
        parallelism(folder, env)
        baseline = None
        for count in [int(c) for c in args.workers.split(",")]:
            url = fresh_database(args.postgres)
            print(f"machine       {load()}")
            wall, pg_cpu = workers_run(url, folder, count)
            baseline = baseline or wall
            print(
                f"{count} worker{'s' if count > 1 else ' '}     {wall:.1f} s for the batch, "
                f"{n / wall:.1f} files/s, {baseline / wall:.2f} x one worker (PostgreSQL CPU {pg_cpu:.1f} s)"
            )
        parallelism(folder, env)


def measure_import(args, folder: str, size: int, env: dict) -> None:
    n = args.articles
    print(f"machine       {load()}")
    engine = child(["--child", "engine", "--folder", folder], env)
    print(
        f"engine only   {engine['cpu'] / n * 1000:.2f} ms CPU per article, "
        f"{engine['statements'] / n:.1f} statements per article, {size / 1e6 / engine['cpu']:.2f} MB/s"
    )

    print(f"machine       {load()}")
    with PostgresCPU() as pg:
        full = child(["--child", "import", "--folder", folder], env)
    print(
        f"import        {full['cpu'] / n * 1000:.2f} ms CPU per article in the importing process "
        f"= {full['cpu'] / engine['cpu']:.2f} x the engine alone "
        f"(of which system {full['system'] / n * 1000:.2f} ms)"
    )
    if args.postgres:
        print(f"postgresql    {pg.seconds / n * 1000:.2f} ms CPU per article in its backends (beside it)")
    print(
        f"throughput    {full['wall']:.1f} s wall, {n / full['wall']:.1f} files/s, "
        f"{size / 1e6 / full['wall']:.2f} MB/s, {full['statements'] / full['wall']:.0f} statements/s"
    )
    print(f"peak RSS      {full['rss_mb']:.0f} MB (the importing process)")


def parallelism(folder: str, env: dict) -> None:
    """What the machine gives two processes at once right now (other work may share its
    cores), printed before and after the worker runs: the same engine-only run, once alone
    and twice side by side. Worker scaling means something only where this is near 2."""
    argv = ["--child", "engine", "--folder", folder]
    alone = time.perf_counter()
    child(argv, env)
    alone = time.perf_counter() - alone
    both = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: child(argv, env), range(2)))
    both = time.perf_counter() - both
    print(
        f"parallelism   two engine-only processes at once: {2 * alone / both:.2f} x the work of one "
        f"in the same time ({load()})"
    )


if __name__ == "__main__":
    main()
