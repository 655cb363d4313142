#!/usr/bin/env python3
"""Reader pages while someone hammers the login form: p95 of reader pages served by gunicorn
on loopback, alone and under 8 concurrent loops of failing logins from one address, with the
login throttle (django-axes) on and, for comparison, off.

    .venv/bin/python benchmarks/login_storm.py [--requests 300] [--loops 8]

The ratio printed (storm p95 / quiet p95, same server, same run) is the figure that matters.
With the throttle, the guesses checked before the lockout are hashed one at a time per
worker and address, at the lowest CPU priority (the others, and requests for the login form
meanwhile, are answered 429 "busy"), and once the address is locked out every guess is
refused before any password is hashed; refusals are held a second, by half of a worker's
threads at most (project/middleware.py). The readers are measured again after the lockout,
with its own ratio. Without the throttle, passwords are still hashed at the lowest priority,
a few at a time per worker (project/hashers.py).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, free_port, get, gunicorn, manage, percentile, server_environment, stop_server


def environment(database: str, throttle: bool) -> dict:
    return server_environment(database, AXES_ENABLED="1" if throttle else "0", AXES_FAILURE_LIMIT="10")


def prepare(database: str) -> None:
    env = environment(database, True)
    for command in (["migrate", "-v0"], ["createcachetable"], ["load_sources"]):
        manage(env, *command)
    manage(env, "import_articles", str(ROOT / "articles" / "fixtures" / "raqqa-coalition.txt"))
    script = (
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('target', password='a-real-password-9')"
    )
    manage(env, "shell", "-c", script)


def readers(port: int, count: int) -> list[float]:
    paths = ["/", "/articles/1/", "/sources/", "/sources/tass/", "/search/?q=Raqqa", "/statements/3/"]
    times = []
    for number in range(count):
        started = time.perf_counter()
        status, _, _ = get(port, paths[number % len(paths)])
        times.append(time.perf_counter() - started)
        assert status == 200, status
    return times


def storm(port: int, stop, answers) -> None:
    """One loop of failing logins, each with a fresh CSRF token, as a script would: in a
    process of its own at a lower priority, since an attacker's client runs on another machine
    and does not take the server's CPU (on this one, it must not outrank the server)."""
    os.nice(10)
    while not stop.is_set():
        status, headers, body = get(port, "/accounts/login/")
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not token:
            count(answers, status, body)
            continue
        form = f"csrfmiddlewaretoken={token.group(1).decode()}&username=target&password=wrong-guess"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}/",
            },
        )
        response = connection.getresponse()
        count(answers, response.status, response.read())


def count(answers, status: int, body: bytes) -> None:
    """Tally an answer: 429s as "locked" (a lockout) or "busy" (one login at a time)."""
    key = str(status)
    if status == 429:
        key += " busy" if b"One login at a time" in body else " locked"
    answers[key] = answers.get(key, 0) + 1


def p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def measure(
    database: str, throttle: bool, requests: int, loops: int
) -> tuple[list[float], list[float], list[float], dict]:
    """Reader times quiet, under the storm, and under the storm after the lockout (empty
    without the throttle, or when no lockout came within two minutes)."""
    port = free_port()
    server = gunicorn(environment(database, throttle), port)
    try:
        readers(port, 20)  # warm up
        quiet = readers(port, requests)
        manager = multiprocessing.Manager()
        stop, answers = manager.Event(), manager.dict()
        attackers = [multiprocessing.Process(target=storm, args=(port, stop, answers)) for _ in range(loops)]
        for attacker in attackers:
            attacker.start()
        time.sleep(2)
        loud = readers(port, requests)
        locked: list[float] = []
        if throttle:
            deadline = time.monotonic() + 120
            while "429 locked" not in answers and time.monotonic() < deadline:
                time.sleep(0.5)
            if "429 locked" in answers:
                locked = readers(port, requests)
        stop.set()
        for attacker in attackers:
            attacker.join(timeout=60)
        return quiet, loud, locked, dict(answers)
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--loops", type=int, default=8)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp()
    for throttle in (True, False):
        database = f"sqlite:///{workdir}/storm-{int(throttle)}.sqlite3"
        prepare(database)
        quiet, loud, locked, answers = measure(database, throttle, args.requests, args.loops)
        ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
        state = "on " if throttle else "off"
        after = (
            f"; after the lockout {ms(statistics.median(locked))}/{ms(p95(locked))}, "
            f"p95 ratio {p95(locked) / p95(quiet):.2f}"
            if locked
            else ("; no lockout within 2 minutes" if throttle else "")
        )
        print(
            f"throttle {state}: reader p50/p95 quiet {ms(statistics.median(quiet))}/{ms(p95(quiet))}, "
            f"under {args.loops} failing-login loops {ms(statistics.median(loud))}/{ms(p95(loud))}; "
            f"p95 ratio {p95(loud) / p95(quiet):.2f}{after}; login answers {dict(sorted(answers.items()))}"
        )


if __name__ == "__main__":
    main()
