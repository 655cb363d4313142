"""The load script's own HTTP client and its accounting, against a small server of our own on
loopback: bodies by length and in chunks, kept-alive connections the server closed, and every
failure counted as an error (the script exits non-zero on any)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import itertools
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("reader_load", ROOT / "benchmarks" / "reader_load.py")
reader_load = importlib.util.module_from_spec(_spec)
sys.modules["reader_load"] = reader_load  # dataclasses look their module up there
_spec.loader.exec_module(reader_load)


def run(coroutine):
    """Run a coroutine to its end in a thread of its own: the browser tests' Playwright keeps
    an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Server:
    """Answers by path: ``/length`` and ``/chunked`` 200 with a body, ``/close`` 200 and then
    closes the connection (as a server whose keep-alive timed out does), ``/fail`` 500,
    ``/hang`` never. Counts the connections it accepted."""

    def __init__(self) -> None:
        self.connections = 0

    async def __aenter__(self) -> int:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def __aexit__(self, *exc) -> None:
        self.server.close()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                path = request.split()[1].decode()
                if path == "/hang":
                    await asyncio.sleep(60)
                elif path == "/chunked":
                    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                    writer.write(b"4\r\nchun\r\n3;ext=1\r\nked\r\n0\r\nX-Trailer: 1\r\n\r\n")
                else:
                    status = b"500 Internal Server Error" if path == "/fail" else b"200 OK"
                    body = path.encode()
                    writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
                if path == "/close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


def test_bodies_by_length_and_in_chunks_on_one_kept_alive_connection():
    async def scenario():
        server = Server()
        async with server as port:
            connection = reader_load.Connection(port)
            answers = [await connection.get(path) for path in ("/length", "/chunked", "/length", "/fail")]
            connection.close()
        return answers, server.connections

    answers, connections = run(scenario())
    assert answers == [(200, b"/length"), (200, b"chunked"), (200, b"/length"), (500, b"/fail")]
    assert connections == 1


def test_a_connection_the_server_closed_is_opened_again():
    async def scenario():
        server = Server()
        async with server as port:
            connection = reader_load.Connection(port)
            first = await connection.get("/close")
            await asyncio.sleep(0.05)  # the server has closed it by now
            second = await connection.get("/length")
            connection.close()
        return first, second, server.connections

    assert run(scenario()) == ((200, b"/close"), (200, b"/length"), 2)


def test_errors_and_timeouts_are_counted_and_the_phase_is_bounded():
    requests = itertools.chain(
        [("good", "/length"), ("bad", "/fail"), ("slow", "/hang")], itertools.repeat(("good", "/length"))
    )

    async def scenario():
        async with Server() as port:
            return await reader_load.hammer(port, "test", requests, seconds=0.5, concurrency=3, timeout=0.5)

    phase = run(scenario())
    assert phase.errors == Counter({("bad", "HTTP 500"): 1, ("slow", "no answer within 0.5 s"): 1})
    assert phase.error_count == 2
    assert set(phase.latencies) == {"good"} and phase.answered == len(phase.latencies["good"]) > 10
    assert 0.5 <= phase.seconds < 1.5
    lines = reader_load.report(phase)
    assert [line.split()[:4] for line in lines] == [
        ["test", "bad", "1", "1"],
        ["test", "good", str(phase.answered), "0"],
        ["test", "slow", "1", "1"],
        ["test", "all", str(phase.answered + 2), "2"],
    ]


def test_a_refused_connection_is_an_error_not_a_crash():
    port = reader_load.free_port()  # nothing listens there

    async def scenario():
        requests = itertools.repeat(("home", "/"))
        return await reader_load.hammer(port, "test", requests, seconds=0.2, concurrency=2, timeout=0.5)

    phase = run(scenario())
    assert phase.answered == 0
    assert set(phase.errors) == {("home", "ConnectionRefusedError")} and phase.error_count >= 2


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([3.0, 1.0, 2.0], 0.5, 2.0),
        (list(range(1, 101)), 0.95, 95),
        (list(range(1, 101)), 0.99, 99),
        ([7.0], 0.99, 7.0),
    ],
)
def test_nearest_rank_percentiles(values, fraction, expected):
    assert reader_load.percentile(values, fraction) == expected


def test_the_schedule_asks_for_each_kind_in_proportion_and_goes_round_its_urls():
    plan = {"home": ["/"], "statement": ["/statements/1/", "/statements/2/"], "search rare": []}
    schedule = reader_load.schedule(plan)
    drawn = [next(schedule) for _ in range(12)]
    kinds = Counter(kind for kind, _ in drawn)
    weights = reader_load.WEIGHTS
    assert kinds["statement"] / kinds["home"] == weights["statement"] / weights["home"]
    assert "search rare" not in kinds  # nothing found for it: not asked for
    assert [path for kind, path in drawn if kind == "statement"][:3] == [
        "/statements/1/",
        "/statements/2/",
        "/statements/1/",
    ]


def test_common_and_rare_words():
    common, rare = reader_load.search_words(
        [
            "Coalition strikes hit Raqqa, officials said.",
            "The coalition denied it.",
            "Observers counted coalition strikes.",
        ]
    )
    assert common[:2] == ["coalition", "strikes"]
    assert "coalition" not in rare and set(rare) <= {"observers", "counted", "officials", "denied"}
