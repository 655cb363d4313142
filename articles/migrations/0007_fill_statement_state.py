# Rows are filled in their own migration: on PostgreSQL, updated rows with deferred
# foreign-key checks pending would block the ALTER TABLE that drops is_own_claim.

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill_state(apps, schema_editor):
    """The state each statement's attributions give it (attributions.models.state_for).

    A confirmed or suggested claimed source: attributed. Editors' own-claim marks stay.
    Only rejected claimed sources (editors turned the suggestions down and set none):
    needs a source, where it used to read as the article's own claim. Nothing: no source.
    """
    Statement = apps.get_model("articles", "Statement")
    HistoricalStatement = apps.get_model("articles", "HistoricalStatement")
    Attribution = apps.get_model("attributions", "Attribution")
    sources = Attribution.objects.filter(statement=OuterRef("pk"), role="source")
    visible = sources.exclude(status="rejected")
    Statement.objects.filter(is_own_claim=True).update(state="own_claim")
    Statement.objects.filter(is_own_claim=False).filter(Exists(visible)).update(state="attributed")
    Statement.objects.filter(is_own_claim=False).exclude(Exists(visible)).filter(Exists(sources)).update(
        state="needs_source"
    )
    Statement.objects.filter(is_own_claim=False).exclude(Exists(sources)).update(state="no_source")
    # Earlier versions in the history: own claim where it was marked; otherwise as the
    # statement stands now, or, where it was marked an own claim later, as the engine left it.
    HistoricalStatement.objects.filter(is_own_claim=True).update(state="own_claim")
    earlier = HistoricalStatement.objects.filter(is_own_claim=False)
    for state in ("attributed", "needs_source", "no_source"):
        earlier.filter(Exists(Statement.objects.filter(pk=OuterRef("id"), state=state))).update(state=state)
    marked_later = earlier.filter(Exists(Statement.objects.filter(pk=OuterRef("id"), state="own_claim")))
    suggested = Attribution.objects.filter(statement_id=OuterRef("id"), role="source").exclude(method="editor")
    marked_later.filter(Exists(suggested)).update(state="attributed")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_statement_state"),
        ("attributions", "0004_whole_spans_one_confirmed"),
    ]

    operations = [migrations.RunPython(fill_state, migrations.RunPython.noop)]
