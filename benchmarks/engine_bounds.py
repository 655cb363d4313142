#!/usr/bin/env python3
"""The engine's cost on text that is not prose: is it linear in the size, with a small constant?

    .venv/bin/python benchmarks/engine_bounds.py

For each shape (words without punctuation or newlines, one endless word, capitalised names,
quotation marks, say-verbs, a line break every 19,000 characters) it times ``extract`` on
50, 100 and 200 KB and prints microseconds per character: a flat row is linear. The last
column compares with real prose (the sample article repeated) measured in the same run.
(The import refuses text with more than 20,000 characters and no sentence end or line break
before the engine sees it; ``split_sentences`` caps every segment at 1,500 characters.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attributions.engine import Lexicon, extract  # noqa: E402

SHAPES = {
    "words": lambda n: ("word " * n)[:n],
    "one word": lambda n: "x" * n,
    "names": lambda n: ("Ana Ruiz Tomas Berg " * n)[:n],
    "quotes": lambda n: ('"said" “x” ' * n)[:n],
    "say-verbs": lambda n: ("he said that she said " * n)[:n],
    "lines": lambda n: "\n".join(("word " * 3800)[:19000] for _ in range(n // 19000 + 1))[:n],
}
SIZES = (50_000, 100_000, 200_000)


def cost(text: str, lexicon: Lexicon) -> float:
    started = time.process_time()
    extract(text, lexicon)
    return (time.process_time() - started) / len(text) * 1e6


def main() -> None:
    lexicon = Lexicon.from_registry()
    sample = (ROOT / "articles" / "fixtures" / "raqqa-coalition.txt").read_text(encoding="utf-8")
    prose = cost((sample + "\n\n") * 40, lexicon)
    print(f"prose (the sample article x 40): {prose:.2f} µs per character")
    print(f"{'shape':<12}" + "".join(f"{size // 1000:>8} KB" for size in SIZES) + "   worst / prose")
    for name, make in SHAPES.items():
        row = [cost(make(size), lexicon) for size in SIZES]
        print(f"{name:<12}" + "".join(f"{c:>8.2f} µs" for c in row) + f"   {max(row) / prose:>8.2f} x")


if __name__ == "__main__":
    main()
