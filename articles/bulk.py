"""One multi-row INSERT per few thousand rows, from plain values: the import writes tens of
statements and suggestions per article, and Django's bulk_create spends more CPU building
model instances and compiling each field of each row than the engine spends finding them.

Every column of the model is written: the values given, else the field's default (computed
once, prepared for the database once). Rows are inserted in order and their ids returned in
the same order (RETURNING, as bulk_create relies on too, on PostgreSQL and SQLite). No
signals are sent and no history rows are written: callers use it for machine-made rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

MAX_PARAMETERS = 30_000  # under SQLite's limit of 32,766 bound values per statement


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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(model._meta.pk.column)}" if ids else ""
    per = max(1, min(2000, MAX_PARAMETERS // len(fields)))
    out: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
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
