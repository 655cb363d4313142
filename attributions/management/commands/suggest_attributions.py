"""Run the attribution engine on a JSONL file of documents, without touching the database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attributions.engine import Lexicon, extract, to_prediction


class Command(BaseCommand):
    help = (
        'Read documents {"doc_id", "text"} one per line from --jsonl and write the engine\'s '
        "statements with suggested source and via, one document per line, to --out (the format "
        "score_statements.py reads). Uses the built-in registry; the database is not touched."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--jsonl", required=True, help="input documents (JSONL)")
        parser.add_argument("--out", required=True, help="output predictions (JSONL), '-' for stdout")

    def handle(self, *args, jsonl: str, out: str, **options) -> None:
        source = Path(jsonl)
        if not source.is_file():
            raise CommandError(f"No such file: {jsonl}")
        lexicon = Lexicon.from_registry()
        handle = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            with source.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    try:
                        doc = json.loads(line)
                        doc_id, text = str(doc["doc_id"]), doc["text"]
                    except (ValueError, KeyError, TypeError) as exc:
                        raise CommandError(
                            f"{jsonl}:{number}: not a document with doc_id and text ({exc})"
                        ) from exc
                    prediction = to_prediction(doc_id, text, extract(text, lexicon))
                    handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
                    count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        self.stderr.write(f"Wrote predictions for {count} documents to {out}.")
