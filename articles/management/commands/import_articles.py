from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.importing import Outcome, iter_paths, run_import
from articles.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import article text files: files, folders (recursively) and .zip archives. "
        "Each file is imported on its own; the command ends with a per-file report."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="text files, folders or .zip archives")
        parser.add_argument("--quiet-ok", action="store_true", help="report only failed files")

    def handle(self, *args, paths: list[str], quiet_ok: bool, **options) -> None:
        styles = {
            "imported": self.style.SUCCESS,
            "duplicate": self.style.WARNING,
            "failed": self.style.ERROR,
        }

        def progress(number: int, outcome: Outcome) -> None:
            if quiet_ok and outcome.status != "failed":
                return
            line = f"[{number:>6}] {outcome.status:<9} {outcome.name}"
            if outcome.message:
                line += f": {outcome.message}"
            self.stdout.write(styles[outcome.status](line))

        batch = run_import(iter_paths(paths), origin=ImportBatch.Origin.COMMAND, progress=progress)
        self.stdout.write(
            f"Import #{batch.pk}: {batch.imported_count} imported, "
            f"{batch.duplicate_count} duplicate, {batch.failed_count} failed "
            f"({batch.total_count} file{pluralize(batch.total_count)})."
        )
        if batch.total_count == 0:
            raise CommandError("No files found at the given paths.")
        if batch.failed_count and not batch.imported_count and not batch.duplicate_count:
            raise CommandError("No file could be imported.")
