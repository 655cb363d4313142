"""The span guarantee no Django constraint can state: the statements of one article never
overlap. PostgreSQL enforces it with an exclusion constraint (btree_gist); SQLite with two
triggers. Migration 0011 adds both; ``ensure_span_triggers`` puts the SQLite triggers back
after any later migration that rebuilds the table (SQLite's ALTER TABLE drops triggers).
"""

from __future__ import annotations

from django.db import connections

OVERLAP_MESSAGE = "statement spans of one article overlap"

# A statement waiting for a new span (start and end null) overlaps nothing.
POSTGRES_ADD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE articles_statement ADD CONSTRAINT statement_spans_disjoint EXCLUDE USING gist "
    '(article_id WITH =, int4range("start", "end") WITH &&) WHERE ("start" IS NOT NULL)',
]
POSTGRES_DROP = ["ALTER TABLE articles_statement DROP CONSTRAINT IF EXISTS statement_spans_disjoint"]

_OVERLAPS = (
    "EXISTS (SELECT 1 FROM articles_statement s WHERE s.article_id = NEW.article_id "
    'AND s.id <> NEW.id AND s."start" < NEW."end" AND NEW."start" < s."end")'
)
SQLITE_ADD = [
    "CREATE TRIGGER IF NOT EXISTS statement_spans_disjoint_insert BEFORE INSERT ON articles_statement "
    f"FOR EACH ROW WHEN {_OVERLAPS.replace('s.id <> NEW.id AND ', '')} "
    f"BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END",
    "CREATE TRIGGER IF NOT EXISTS statement_spans_disjoint_update "
    'BEFORE UPDATE OF "start", "end", article_id ON articles_statement '
    f"FOR EACH ROW WHEN {_OVERLAPS} BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS statement_spans_disjoint_insert",
    "DROP TRIGGER IF EXISTS statement_spans_disjoint_update",
]


def add_span_guarantee(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_ADD if vendor == "postgresql" else SQLITE_ADD if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def drop_span_guarantee(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def ensure_span_triggers(using: str) -> None:
    """Recreate the SQLite triggers if a table rebuild dropped them (a no-op otherwise)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "articles_statement" in tables:
            for sql in SQLITE_ADD:
                cursor.execute(sql)
