from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Statement
from attributions.exporting import FORMATS, rows


class Command(BaseCommand):
    help = (
        "Write every statement with its claimed source and via (confirmed, else suggested) as "
        "CSV or JSON Lines, one row per statement."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("article_ids", nargs="*", type=int, help="articles to export (default: all)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, article_ids: list[int], format: str, out: str | None, **options) -> None:
        statements = Statement.objects.all()
        if article_ids:
            found = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
            missing = sorted(set(article_ids) - found)
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            statements = statements.filter(article_id__in=article_ids)
        writer, _ = FORMATS[format]
        if out is None:
            for piece in writer(rows(statements)):
                self.stdout.write(piece, ending="")
            return
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for piece in writer(rows(statements)):
                handle.write(piece)
