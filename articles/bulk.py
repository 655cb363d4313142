"""One multi-row INSERT per few thousand rows, from plain values: the import writes tens of
statements and suggestions per article, and Django's bulk_create spends more CPU building
model instances and compiling each field of each row than the engine spends finding them.

Every column of the model is written: the values given, else the field's default (computed
once, prepared for the database once). Rows are inserted in order and their ids returned in
the same order (SQLite: RETURNING, as bulk_create relies on too; PostgreSQL: COPY, with ids
drawn from the table's sequence first). No
signals are sent and no history rows are written: callers use it for machine-made rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

MAX_PARAMETERS = 30_000  # under SQLite's limit of 32,766 bound values per statement
MAX_ROWS = 256


def _batches(rows: Sequence, most: int):
    """Rows in batches whose sizes are powers of two (at most MAX_ROWS): SQLite keeps each
    distinct statement it prepared, and an INSERT of many rows is a large one, so a few
    shapes are reused instead of a new one for every remainder."""
    size = 1
    while size * 2 <= min(most, MAX_ROWS):
        size *= 2
    start = 0
    while start < len(rows):
        while size > len(rows) - start:
            size //= 2
        yield rows[start : start + size]
        start += size


def insert(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence], *, ids: bool = False
) -> list:
    """Insert ``rows`` (values for the fields ``names``, by attname) into ``model``'s table."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = {name: index for index, name in enumerate(names)}
    unknown = set(given) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    now = timezone.now()
    constants = {
        f.attname: f.get_db_prep_save(
            now if getattr(f, "auto_now_add", False) else f.get_default(), connection
        )
        for f in fields
        if f.attname not in given
    }
    order = [(given.get(f.attname), constants.get(f.attname)) for f in fields]
    if connection.vendor == "postgresql":
        return _copy(model, fields, order, rows, ids=ids)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(model._meta.pk.column)}" if ids else ""
    out: list = []
    with connection.cursor() as cursor:
        for batch in _batches(rows, MAX_PARAMETERS // len(fields)):
            params = [
                row[index] if index is not None else constant for row in batch for index, constant in order
            ]
            values = ", ".join([one] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}{returning}", params
            )
            if ids:
                out.extend(row[0] for row in cursor.fetchall())
    return out


def _copy(model, fields, order, rows, *, ids: bool) -> list:
    """PostgreSQL: COPY, whose rows psycopg encodes in C (a long INSERT's placeholders are
    parsed in Python, which cost more than the engine). Ids, when wanted, are drawn from the
    table's sequence first and written with the rows."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk.column
    out: list = []
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(rows)],
            )
            out = [row[0] for row in cursor.fetchall()]
        columns = ([quote(pk)] if ids else []) + [quote(f.column) for f in fields]
        with cursor.cursor.copy(f"COPY {quote(table)} ({', '.join(columns)}) FROM STDIN") as copy:
            for position, row in enumerate(rows):
                values = [row[index] if index is not None else constant for index, constant in order]
                copy.write_row([out[position], *values] if ids else values)
    return out
