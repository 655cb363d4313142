#!/usr/bin/env python3
"""Readers at load: a mixed reader workload against the app served by gunicorn on loopback
(2 workers, DEBUG off, as production serves it), then the same load against ``/healthz`` as
the baseline, on the same server in the same run.

    .venv/bin/python benchmarks/reader_load.py [--seconds 60] [--concurrency 16]
        [--database-url postgres://postgres@127.0.0.1:5432/attribution_bench_pages] [--load-demo]

Without ``--database-url`` it builds a throwaway SQLite file with the demo data
(``manage.py load_demo``) and removes it afterwards. With one, it migrates that database
(a no-op when it is up to date) and reads what is there, e.g. the million statements that
``benchmarks/pages_at_scale.py --keep`` leaves; ``--load-demo`` loads the demo into it first.
The environment's own ``DATABASE_URL`` is not used: the database is always named here.

It first finds real URLs (the JSON API's lists, the pages' "next" links, words of real
statements for searches), then ``--concurrency`` clients ask for them for ``--seconds``:
home, article list pages, articles, statements, the source directory, source pages, searches
for common and rare words, and the API's lists. Each request has a hard timeout; a phase
stops taking new requests when its time is up. It prints requests, errors, throughput and
p50/p95/p99 latency per kind of page and overall, and reader throughput / healthz
throughput (issue 14's target: at least 0.40). Any error (an answer other than 2xx/3xx, a
timeout, a refused connection) makes it exit with status 1.

Anonymous API clients are throttled per address (``API_ANON_RATE``); every client here has
one address, so the server runs with a rate no run reaches: the throttle still counts each
request (a cache write), as it does for real readers. The rate is per second, so the list of
recent requests the throttle keeps per address (REST framework's sliding window) is about as
long as a real client's at the default 120 a minute, not the whole run's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import free_port, gunicorn, manage, percentile, server_environment, stop_server

#: How often each kind of page is asked for, relative to the others.
WEIGHTS = {
    "home": 2,
    "article list": 2,
    "article": 3,
    "statement": 4,
    "source list": 1,
    "source": 3,
    "search common": 1,
    "search rare": 1,
    "api list": 3,
}
MAX_SECONDS = 600  # per phase
MAX_CONCURRENCY = 256
LIST_PAGES = 3  # pages of each list followed through its "next" links
TARGET_RATIO = 0.40


# The client ----------------------------------------------------------------------------------------


class Stale(Exception):
    """A kept-alive connection the server had closed before it read our request."""


class Connection:
    """One reader's HTTP/1.1 connection, kept alive from request to request.

    Our own few lines over asyncio streams rather than an HTTP library: on the same machine
    as the server, the client's CPU is taken from the server, and httpx took 2.2 ms of CPU per
    request where this takes 0.12 ms (a third of the /healthz throughput was lost to it).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``: the status and the body. A kept-alive connection found closed is
        opened again once, as browsers do for a GET."""
        fresh = self.writer is None
        if fresh:
            await self.open()
        try:
            return await self.exchange(path)
        except Stale:
            self.close()
            if fresh:
                raise
        await self.open()
        return await self.exchange(path)

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, path: str) -> tuple[int, bytes]:
        reader, writer = self.reader, self.writer
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUser-Agent: reader-load\r\n\r\n"
        try:
            writer.write(request.encode("ascii"))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if error.partial:
                raise
            raise Stale from error
        except (ConnectionResetError, BrokenPipeError) as error:
            raise Stale from error
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append((await reader.readexactly(size + 2))[:-2])
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            body = b"".join(chunks)
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body


# Finding real URLs --------------------------------------------------------------------------------


class NextLinks(HTMLParser):
    """The hrefs of a page's ``<a rel="next">`` links."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and "next" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def local(url: str) -> str:
    """The path and query of an absolute URL the server gave."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Discovery:
    """Asks the server for what it holds and keeps the URLs readers would follow."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def get(self, path: str) -> bytes:
        status, body = await self.connection.get(path)
        if status != 200:
            raise SystemExit(f"discovery: GET {path} answered {status}")
        return body

    async def pages(self, first: str) -> list[str]:
        """``first`` and the pages its "next" links lead to, at most LIST_PAGES."""
        found = [first]
        while len(found) < LIST_PAGES:
            parser = NextLinks()
            parser.feed((await self.get(found[-1])).decode())
            if not parser.hrefs:
                break
            found.append(urljoin(found[-1], parser.hrefs[0]))
        return found

    async def api_list(self, path: str) -> list[dict]:
        return json.loads(await self.get(path))["results"]

    async def plan(self) -> dict[str, list[str]]:
        articles = await self.api_list("/api/articles/?page_size=50")
        statements = await self.api_list("/api/statements/?page_size=200")
        if not articles or not statements:
            raise SystemExit("The database has no articles or statements for readers: load some first.")
        cited = Counter(
            attribution["source"]
            for statement in statements
            for attribution in (statement["claimed_source"], statement["via"])
            if attribution
        )
        directory = [source["slug"] for source in await self.api_list("/api/sources/?page_size=200")]
        slugs = [slug for slug, _ in cited.most_common(8)] + [s for s in directory[:4] if s not in cited]
        sources = []
        for number, slug in enumerate(slugs):
            first = f"/sources/{slug}/"
            sources += await self.pages(first) if number < 3 else [first]  # the most cited: several pages
        api = ["/api/articles/", "/api/sources/", "/api/cross-references/"]
        page = "/api/statements/"
        for _ in range(LIST_PAGES):
            api.append(page)
            following = json.loads(await self.get(page)).get("next")
            if not following:
                break
            page = local(following)
        common, rare = search_words(statement["text"] for statement in statements)
        return {
            "home": ["/"],
            "article list": await self.pages("/articles/"),
            "article": [local(article["page"]) for article in articles],
            "statement": [local(statement["page"]) for statement in statements],
            "source list": await self.pages("/sources/"),
            "source": sources,
            "search common": [f"/search/?{urlencode({'q': word})}" for word in common],
            "search rare": [f"/search/?{urlencode({'q': word})}" for word in rare],
            "api list": api,
        }


def search_words(texts, count: int = 3) -> tuple[list[str], list[str]]:
    """The most and the least frequent words of these texts (of seven letters or more, so
    that no stop word like "which" is among them)."""
    words = Counter(word.lower() for text in texts for word in re.findall(r"[^\W\d_]{7,}", text))
    if not words:
        raise SystemExit("The statements have no words to search for.")
    ranked = sorted(words.items(), key=lambda item: (-item[1], item[0]))
    common = [word for word, _ in ranked[:count]]
    rare = [word for word, _ in reversed(ranked) if word not in common][:count]
    return common, rare or common


# Hammering ---------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float = 0.0  # from the first request to the last answer
    cpu: float = 0.0  # this client's CPU time meanwhile
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)  # (kind, reason) -> count

    @property
    def answered(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def throughput(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def schedule(plan: dict[str, list[str]]):
    """An endless, fixed sequence of (kind, path): kinds in proportion to their weights, each
    kind going round its URLs."""
    rounds = {kind: itertools.cycle(paths) for kind, paths in plan.items()}
    kinds = itertools.cycle(
        [kind for kind, weight in WEIGHTS.items() if plan.get(kind) for _ in range(weight)]
    )
    for kind in kinds:
        yield kind, next(rounds[kind])


async def hammer(port: int, name: str, requests, seconds: float, concurrency: int, timeout: float) -> Phase:
    """``concurrency`` clients, each on a connection of its own, take (kind, path) from
    ``requests`` until ``seconds`` are up."""
    phase = Phase(name)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def one_client() -> None:
        connection = Connection(port)
        while loop.time() < deadline:
            kind, path = next(requests)
            started = time.perf_counter()
            try:
                async with asyncio.timeout(timeout):
                    status, _ = await connection.get(path)
            except TimeoutError:
                phase.errors[kind, f"no answer within {timeout:g} s"] += 1
                connection.close()
                continue
            except (OSError, EOFError, ValueError, Stale) as error:  # refused, cut short, garbled
                phase.errors[kind, type(error).__name__] += 1
                connection.close()
                continue
            if not 200 <= status < 400:
                phase.errors[kind, f"HTTP {status}"] += 1
                continue
            phase.latencies.setdefault(kind, []).append(time.perf_counter() - started)
        connection.close()

    started, cpu = time.perf_counter(), time.process_time()
    # Bounded whatever happens: the last requests get their timeout, then the phase is over.
    async with asyncio.timeout(seconds + timeout + 5):
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    phase.seconds, phase.cpu = time.perf_counter() - started, time.process_time() - cpu
    return phase


# Figures -----------------------------------------------------------------------------------------


def report(phase: Phase) -> list[str]:
    """One line per kind of page, and one for all of them when there are several."""
    kinds = sorted({*phase.latencies, *(kind for kind, _ in phase.errors)})
    rows = [
        (kind, phase.latencies.get(kind, []), sum(n for (k, _), n in phase.errors.items() if k == kind))
        for kind in kinds
    ]
    if len(rows) > 1:
        rows.append(
            ("all", [value for values in phase.latencies.values() for value in values], phase.error_count)
        )
    lines = []
    for kind, values, errors in rows:
        figures = [f"{percentile(values, q) * 1000:.1f}" for q in (0.5, 0.95, 0.99)] if values else ["-"] * 3
        rate = len(values) / phase.seconds if phase.seconds else 0.0
        lines.append(
            f"{phase.name:8} {kind:14} {len(values) + errors:>9} {errors:>6} {rate:>8.1f} "
            + " ".join(f"{figure:>8}" for figure in figures)
        )
    return lines


def tail(log) -> str:
    log.seek(0)
    return "server log (last 40 lines):\n" + "\n".join(log.read().splitlines()[-40:])


def words(searches: list[str]) -> str:
    return ", ".join(parse_qs(urlsplit(path).query)["q"][0] for path in searches)


def describe(database_url: str) -> str:
    """The database, without its password."""
    if database_url.startswith("sqlite"):
        return f"SQLite {database_url.split(':///', 1)[1]}"
    parts = urlsplit(database_url)
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"


async def run(port: int, args: argparse.Namespace) -> tuple[Phase, Phase, dict[str, list[str]]]:
    async with asyncio.timeout(120):
        discovery = Discovery(Connection(port))
        await discovery.get("/healthz")
        plan = await discovery.plan()
        for paths in plan.values():  # every kind once before the clock starts
            await discovery.get(paths[0])
        discovery.connection.close()
    readers = await hammer(port, "readers", schedule(plan), args.seconds, args.concurrency, args.timeout)
    healthz = itertools.repeat(("healthz", "/healthz"))
    baseline = await hammer(port, "healthz", healthz, args.seconds, args.concurrency, args.timeout)
    return readers, baseline, plan


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    parser.add_argument("--concurrency", type=int, default=16, help="clients at once (default 16)")
    parser.add_argument("--database-url", help="default: a throwaway SQLite file with the demo data")
    parser.add_argument(
        "--load-demo",
        action="store_true",
        help="load the demo into --database-url first (it sets new passwords for the users editor and admin)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10, help="hard limit per request, seconds (default 10)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be above 0 and at most {MAX_SECONDS}")
    if not 0 < args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency must be between 1 and {MAX_CONCURRENCY}")

    workdir = Path(tempfile.mkdtemp(prefix="reader-load-"))
    try:
        database_url = args.database_url or f"sqlite:///{workdir / 'reader-load.sqlite3'}"
        env = server_environment(database_url, API_ANON_RATE="1000000/second")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "createcachetable")
        if args.load_demo or not args.database_url:
            manage({**env, "DJANGO_DEBUG": "1"}, "load_demo")  # its printed passwords are dropped
        port = free_port()
        with open(workdir / "server.log", "w+") as log:
            server = gunicorn(env, port, workers=args.workers, threads=args.threads, log=log)
            load_before = os.getloadavg()
            try:
                readers, baseline, plan = asyncio.run(run(port, args))
                crashed = server.poll() is not None
            except SystemExit as stopped:  # discovery found no data, or a page that failed
                stopped.code = f"{stopped.code}\n{tail(log)}"
                raise
            finally:
                stop_server(server)
            load_after = os.getloadavg()
            server_log = tail(log)

        data = "the demo data" if args.load_demo or not args.database_url else "its own data"
        print(
            f"Reader load: {args.concurrency} clients, {args.seconds:g} s per phase, gunicorn "
            f"{args.workers} workers x {args.threads} threads (DEBUG off) on 127.0.0.1; "
            f"{describe(database_url)} with {data}"
        )
        print(
            "URLs: "
            + ", ".join(f"{len(paths)} {kind}" for kind, paths in plan.items())
            + f"; common words {words(plan['search common'])}; rare words {words(plan['search rare'])}"
        )
        print(
            f"{'phase':8} {'kind':14} {'requests':>9} {'errors':>6} {'req/s':>8} "
            + " ".join(f"{column:>8}" for column in ("p50 ms", "p95 ms", "p99 ms"))
        )
        for line in report(readers) + report(baseline):
            print(line)
        ratio = readers.throughput() / baseline.throughput() if baseline.throughput() else 0.0
        verdict = "met" if ratio >= TARGET_RATIO else "not met"
        print(
            f"reader throughput / healthz throughput: {readers.throughput():.1f} / "
            f"{baseline.throughput():.1f} req/s = {ratio:.2f} "
            f"(issue 14's target >= {TARGET_RATIO:.2f}: {verdict})"
        )
        print(
            f"client CPU: readers {readers.cpu:.1f} s in {readers.seconds:.1f} s, "
            f"healthz {baseline.cpu:.1f} s in {baseline.seconds:.1f} s; "
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)"
        )
        errors = readers.error_count + baseline.error_count
        for (kind, reason), count in sorted((readers.errors + baseline.errors).items()):
            print(f"error: {kind}: {reason} x{count}")
        if crashed:
            print("error: the server stopped during the run")
            errors += 1
        print(f"errors: {errors}")
        if errors:
            print(server_log)
            return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
