from django.db import migrations, models


class Migration(migrations.Migration):
    """The few rows readers do not see, each kind under a partial index: counts of what readers
    see count over the attributions' own index and take these off (attributions.counts), which
    only pays while they are found without reading every article and statement."""

    dependencies = [
        ("articles", "0022_article_date_and_statement_article_pk_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("withdrawn_at__isnull", False)), fields=["id"], name="article_withdrawn"
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("start__isnull", True)), fields=["id"], name="statement_waiting_for_span"
            ),
        ),
    ]
