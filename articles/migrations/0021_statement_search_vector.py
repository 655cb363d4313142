from django.db import migrations

# A stored tsvector: search matches through its GIN index and checks rows without parsing
# their text again (an expression index cannot serve a scan in recency order: each row's
# to_tsvector was recomputed). articles.search.search_vector names the column.
FORWARD = [
    "ALTER TABLE articles_statement ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS statement_search_vector ON articles_statement USING GIN (search_vector)",
    # The planner's guess of how many statements hold a word decides between walking the
    # newest statements (common words) and the index (rare ones); the default sample knows
    # too few words, so a rare word looked common and cost a walk of the whole table.
    "ALTER TABLE articles_statement ALTER COLUMN search_vector SET STATISTICS 10000",
    "DROP INDEX IF EXISTS statement_text_fts",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS statement_text_fts ON articles_statement "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "DROP INDEX IF EXISTS statement_search_vector",
    "ALTER TABLE articles_statement DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    """PostgreSQL only: the model does not know the column (SQLite has no tsvector), so
    ``makemigrations`` has nothing to say about it."""

    dependencies = [("articles", "0020_historicalarticle_language")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
