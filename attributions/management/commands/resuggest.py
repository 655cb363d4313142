from django.core.management.base import BaseCommand, CommandError

from articles import figures
from articles.models import Article
from attributions.suggesting import Suggester


class Command(BaseCommand):
    help = (
        "Run the attribution engine again over imported articles, with the aliases editors have "
        "added since. Confirmed, editor-made and rejected attributions are never changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("article_ids", nargs="*", type=int, help="articles to re-run (default: none)")
        parser.add_argument("--all", action="store_true", help="re-run every article")

    def handle(self, *args, article_ids: list[int], all: bool, **options) -> None:
        if not article_ids and not all:
            raise CommandError("Name article ids, or pass --all.")
        articles = Article.objects.order_by("pk")
        if not all:
            articles = articles.filter(pk__in=article_ids)
            missing = set(article_ids) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, sorted(missing)))}.")
        suggester = Suggester()
        totals = {"added": 0, "updated": 0, "withdrawn": 0, "kept": 0}
        count = articles.count()
        for number, article in enumerate(articles.iterator(chunk_size=200), start=1):
            report = suggester.refresh(article)
            for key, value in report.items():
                totals[key] += value
            self.stdout.write(f"[{number}/{count}] #{article.pk} {article.title[:60]}: {report}")
        # What readers see changed: count the figures now and drop the kept reader pages.
        figures.refresh(*figures.READER_FIGURES)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} articles: {totals['added']} suggestions added, {totals['updated']} updated, "
                f"{totals['withdrawn']} withdrawn; {totals['kept']} reviewed statements left alone."
            )
        )
