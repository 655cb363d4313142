from django.core.management.base import BaseCommand

from attributions.registry import load_sources


class Command(BaseCommand):
    help = "Create or update the built-in source registry (sources and their aliases). Safe to re-run."

    def handle(self, *args, **options) -> None:
        report = load_sources()
        for conflict in report.alias_conflicts or []:
            self.stderr.write(self.style.WARNING(f"Alias skipped: {conflict}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Sources: {report.created} created, {report.updated} updated; "
                f"{report.aliases_added} aliases added."
            )
        )
