"""Attribution quality and speed of the engine on a gold attribution corpus.

    python3 benchmarks/engine_quality.py [--gold ../shared/eval/polnear-dev.jsonl]

Runs ``extract`` with the built-in registry on every document, writes predictions in the
scorer's format to a temporary file, runs the shared scorer on it and prints precision,
recall and F1 (all / say), the engine's speed (best of three runs) and, per rule, how many
statements it attributed and how many of those the scorer would count as correct.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attributions.engine import Lexicon, extract, to_prediction  # noqa: E402

# ../shared next to the repository, wherever both are.
EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_GOLD = str(EVAL / "polnear-dev.jsonl")
SCORER = str(EVAL / "score_statements.py")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _token_ids(tokens: list[tuple[int, int]], spans) -> set[int]:
    """Indices of the tokens overlapping any of ``spans`` (same rule as the scorer)."""
    import bisect

    starts = [t[0] for t in tokens]
    out: set[int] = set()
    for s, e in spans:
        i = max(0, bisect.bisect_right(starts, s) - 1)
        while i < len(tokens) and tokens[i][0] < e:
            if tokens[i][1] > s:
                out.add(i)
            i += 1
    return out


def _dice(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def per_rule(gold_docs, runs, cover: float = 0.5, src_match: float = 0.5) -> dict[str, list[int]]:
    """rule -> [statements with a source, of which correct] ("all" slice)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, results in zip(gold_docs, runs, strict=True):
        toks = _tokens(doc["text"])
        golds = []
        for a in doc["attributions"]:
            content = _token_ids(toks, a.get("content_spans") or [])
            if content:
                golds.append((content, _token_ids(toks, a.get("source_spans") or [])))
        for r in results:
            sug = r.suggestion
            if sug is None:
                continue
            outer = sug.via or sug.source
            st = _token_ids(toks, [(r.start, r.end)])
            src = _token_ids(toks, [(outer.start, outer.end)])
            ok = any(
                st and len(st & content) >= cover * len(st) and _dice(src, source) >= src_match
                for content, source in golds
            )
            row = table[sug.rule]
            row[0] += 1
            row[1] += int(ok)
    return dict(table)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=DEFAULT_GOLD)
    ap.add_argument("--runs", type=int, default=3, help="timing runs (best is reported)")
    args = ap.parse_args()

    with open(args.gold, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    lexicon = Lexicon.from_registry()
    total_chars = sum(len(d["text"]) for d in docs)

    best = float("inf")
    results = []
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        results = [extract(d["text"], lexicon) for d in docs]
        best = min(best, time.perf_counter() - t0)

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for d, res in zip(docs, results, strict=True):
            out.write(json.dumps(to_prediction(d["doc_id"], d["text"], res)) + "\n")
        pred_path = out.name
    proc = subprocess.run(
        [sys.executable, SCORER, "--gold", args.gold, "--pred", pred_path, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(pred_path).unlink(missing_ok=True)
    scores = json.loads(proc.stdout)

    print(f"gold: {args.gold} ({len(docs)} documents, {total_chars:,} characters)")
    for name in ("all", "say"):
        r = scores[name]
        print(
            f"{name:4} statements={r['statements']} with_source={r['statements_with_source']} "
            f"gold={r['gold_attributions']}  P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}"
        )
    print(f"speed: {total_chars / best / 1e6:.2f} MB/s (best of {args.runs}, {best:.3f} s)")
    print("per rule (all slice): statements, correct, precision")
    for rule, (n, ok) in sorted(per_rule(docs, results).items(), key=lambda kv: -kv[1][0]):
        print(f"  {rule:14} {n:5d} {ok:5d}  {ok / n if n else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
