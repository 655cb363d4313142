from django.db import migrations, models

STATE = models.CharField(
    choices=[
        ("attributed", "Attributed"),
        ("needs_source", "Needs a source"),
        ("own_claim", "The article's own claim"),
        ("no_source", "No source found"),
    ],
    db_index=True,
    default="no_source",
    help_text="Kept by the import and the editors' actions (see Statement.State).",
    max_length=12,
)


class Migration(migrations.Migration):
    """A statement's state, stored on it (filled by the next migration)."""

    dependencies = [
        ("articles", "0005_statement_is_frame"),
    ]

    operations = [
        migrations.AddField(model_name="historicalstatement", name="state", field=STATE),
        migrations.AddField(model_name="statement", name="state", field=STATE),
    ]
