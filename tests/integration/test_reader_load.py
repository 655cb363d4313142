"""The reader load script runs in CI as a smoke test: a few seconds per phase against a
throwaway database (SQLite, or PostgreSQL when DATABASE_URL names it), no errors, figures
printed. No figure is asserted: a shared CI machine times nothing reliably."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "reader_load.py"
KINDS = [
    "home",
    "article list",
    "article",
    "statement",
    "source list",
    "source",
    "search common",
    "search rare",
    "api list",
]


@pytest.fixture
def database_args():
    """Arguments that point the script at a throwaway database: on PostgreSQL one named after
    DATABASE_URL's (made and dropped here); on SQLite the script makes and removes its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield []
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_reader_load"
    server = urlunsplit(parts._replace(path="/postgres"))
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield ["--database-url", urlunsplit(parts._replace(path=f"/{name}")), "--load-demo"]
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(drop)


def test_readers_and_healthz_under_load_answer_without_errors(database_args):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--seconds", "10", *database_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    database = "PostgreSQL 127.0.0.1" if database_args else "SQLite /"  # the database it was told to use
    assert database in output.splitlines()[0], output
    for kind in KINDS:  # every kind of page was asked for, and none failed
        assert re.search(rf"^readers +{kind} +[1-9]\d* +0 +[\d.]+( +[\d.]+){{3}}$", output, re.M), output
    assert re.search(r"^readers +all +[1-9]\d* +0 ", output, re.M), output
    assert re.search(r"^healthz +healthz +[1-9]\d* +0 +[\d.]+( +[\d.]+){3}$", output, re.M), output
    ratio = r"^reader throughput / healthz throughput: [\d.]+ / [\d.]+ req/s = [\d.]+ "
    assert re.search(ratio, output, re.M), output
    assert output.splitlines()[-1] == "errors: 0"
