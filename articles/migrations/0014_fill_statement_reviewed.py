# Rows are filled in their own migration, apart from the ALTER TABLE that added the column.

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def fill_reviewed(apps, schema_editor):
    """Decided statements: the article's own claim, needing a source, or a confirmed source."""
    Statement = apps.get_model("articles", "Statement")
    Attribution = apps.get_model("attributions", "Attribution")
    confirmed = Attribution.objects.filter(statement=OuterRef("pk"), role="source", status="confirmed")
    Statement.objects.filter(Q(state__in=["own_claim", "needs_source"]) | Exists(confirmed)).update(reviewed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_statement_reviewed"),
        ("attributions", "0006_editor_journal_and_presence"),
    ]

    operations = [migrations.RunPython(fill_reviewed, migrations.RunPython.noop)]
