from django.db import migrations

# Must match what StatementQuerySet.search() asks for (SearchVector("text", config="english")).
CREATE = (
    "CREATE INDEX IF NOT EXISTS statement_text_fts ON articles_statement "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)
DROP = "DROP INDEX IF EXISTS statement_text_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """Full-text search over statements on PostgreSQL; SQLite searches with a plain scan."""

    dependencies = [("articles", "0001_articles_statements_imports")]

    operations = [migrations.RunPython(create_index, drop_index)]
