"""Shared set-up for benchmark scripts: Django pointed at a database of the script's choosing,
or the app served by gunicorn on loopback as production serves it (DEBUG off)."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def django_environment(database_url: str) -> None:
    """The environment for Django in this process on ``database_url``: a throwaway key, the
    test client's host, plain HTTP, static URLs without a collectstatic manifest."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_PLAIN_STATIC", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


def django_for(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    django_environment(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like server on loopback: DEBUG off, a throwaway key,
    plain HTTP (no HTTPS redirect, no secure-only cookies), static files from the finders."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_PLAIN_STATIC": "1",
        # whitenoise's start-up warning that there is no collectstatic output: none is needed here
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
        **extra,
    }


def manage(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    """Run ``manage.py COMMAND`` in that environment; its output is kept, not printed, unless
    it fails (then the script stops with it)."""
    done = subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done


def gunicorn(
    env: dict[str, str], port: int, *, workers: int = 2, threads: int = 8, log: IO | None = None
) -> subprocess.Popen:
    """Start ``gunicorn project.wsgi`` on 127.0.0.1:PORT and return once it accepts connections
    (at most 30 s). Its output goes to ``log`` when given, else to ours."""
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server started by ``gunicorn`` (SIGTERM, then SIGKILL after 30 s)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET on loopback: status, headers, body."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def server_timing(headers: dict) -> dict[str, float]:
    """The durations (ms) of a ``Server-Timing`` header: {"app": 12.3, "db": 4.5}."""
    found = {}
    for part in headers.get("Server-Timing", "").split(","):
        name, _, rest = part.strip().partition(";")
        for item in rest.split(";"):
            key, _, value = item.partition("=")
            if key.strip() == "dur":
                found[name] = float(value)
    return found
