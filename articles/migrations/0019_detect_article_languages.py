"""Record the language of the articles imported before languages were detected."""

from django.db import migrations

from articles.languages import detect_language


def detect(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    pending = []
    for article in Article.objects.filter(language="").only("pk", "body").iterator(chunk_size=500):
        article.language = detect_language(article.body)
        if article.language:
            pending.append(article)
        if len(pending) >= 500:
            Article.objects.bulk_update(pending, ["language"])
            pending = []
    Article.objects.bulk_update(pending, ["language"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_article_language")]

    operations = [migrations.RunPython(detect, migrations.RunPython.noop)]
