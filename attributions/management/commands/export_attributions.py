from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Statement
from attributions.exporting import CONTENT_TYPES, export
from attributions.models import Source, attributed_to


class Command(BaseCommand):
    help = (
        "Write statements with their claimed source and via (confirmed, else suggested) as CSV, "
        "JSON Lines (one row per statement) or W3C Web Annotations (JSON-LD)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("article_ids", nargs="*", type=int, help="articles to export (default: all)")
        parser.add_argument(
            "--source", metavar="SLUG", help="only statements this source is claimed to have made"
        )
        parser.add_argument("--format", choices=sorted(CONTENT_TYPES), default="csv")
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="the site's address, for the links in Web Annotations (default: %(default)s, "
            "from DJANGO_SITE_URL)",
        )

    def handle(
        self,
        *args,
        article_ids: list[int],
        source: str | None,
        format: str,
        out: str | None,
        base_url: str,
        **options,
    ) -> None:
        statements = Statement.objects.all()
        label = "Statements and their claimed sources"
        if article_ids:
            found = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
            missing = sorted(set(article_ids) - found)
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            statements = statements.filter(article_id__in=article_ids)
        if source:
            named = Source.objects.filter(slug=source).first()
            if named is None:
                raise CommandError(f"No source with the slug “{source}”.")
            statements = attributed_to(statements, named)
            label = f"Statements claimed to come from {named.name}"
        base = base_url.rstrip("/")
        pieces = export(statements, format, url=lambda path: base + path, label=label)
        if out is None:
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for piece in pieces:
                handle.write(piece)
