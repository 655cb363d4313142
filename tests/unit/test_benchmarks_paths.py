"""Benchmarks find ``../shared`` next to the repository, wherever the two are: never by an
absolute path (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))
ABSOLUTE = re.compile(r"""["'](/[^"'\s]*)""")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_benchmark_names_an_absolute_path(script):
    text = script.read_text(encoding="utf-8")
    # Only the loopback paths of the pages they ask for start with a slash.
    absolute = [
        path
        for path in ABSOLUTE.findall(text)
        if "shared" in path or path.startswith(("/work", "/home", "/root"))
    ]
    assert absolute == []


def test_the_scripts_that_read_shared_find_it_beside_the_repository():
    readers = [p for p in SCRIPTS if "shared" in p.read_text(encoding="utf-8")]
    assert readers, "some benchmark reads ../shared"
    for script in readers:
        text = script.read_text(encoding="utf-8")
        assert 'parent / "shared"' in text or "from _scale_data import" in text or "_scale_data" in text, (
            script.name
        )
