from django.db import migrations, models

from articles.db import add_span_guarantee, drop_span_guarantee


def add(apps, schema_editor):
    add_span_guarantee(schema_editor)


def drop(apps, schema_editor):
    drop_span_guarantee(schema_editor)


class Migration(migrations.Migration):
    """The statements of one article never overlap, and each starts somewhere else."""

    dependencies = [("articles", "0010_repair_overlapping_spans")]

    operations = [
        migrations.AddConstraint(
            model_name="statement",
            constraint=models.UniqueConstraint(fields=("article", "start"), name="statement_unique_start"),
        ),
        migrations.RunPython(add, drop),
    ]
