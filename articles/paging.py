"""Pagination that stays fast however large a list grows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Deepest page served. An OFFSET costs more the deeper it goes; past this, readers narrow
#: the list (filters, search) instead.
MAX_PAGES = 200


class BoundedPaginator(Paginator):
    """A Paginator whose count query and page depth are both bounded.

    ``truncated`` tells the template that more items exist than the pages reach.
    """

    def __init__(
        self, object_list, per_page: int, max_pages: int = MAX_PAGES, known_count: int | None = None, **kwargs
    ) -> None:
        self.max_pages = max_pages
        self.known_count = known_count  # when the caller has counted already, no count query
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        limit = self.per_page * self.max_pages
        counted = self.known_count
        if counted is None:
            counted = self.object_list[: limit + 1].count()
        self.truncated = counted > limit
        return min(counted, limit)

    truncated = False


# Keyset pages: newest first, "older" and "newer" links carry the edge row's key ---------------


class BadCursor(ValueError):
    """A page link's cursor that this site did not write."""


@dataclass
class KeysetPage:
    """One page of a list ordered newest first by a key (a tuple of values, the last unique).

    ``older`` and ``newer`` are the cursors of the neighbouring pages (None at either end).
    """

    items: list
    older: str | None = None
    newer: str | None = None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _encode(value) -> str:
    if isinstance(value, datetime):
        return str((value - EPOCH) // timedelta(microseconds=1))
    return str(value)


def encode_cursor(key: tuple) -> str:
    return ".".join(_encode(value) for value in key)


def decode_cursor(cursor: str, kinds: tuple[type, ...]) -> tuple:
    """The key a cursor carries; ``kinds`` says which parts are datetimes and which ints."""
    parts = cursor.split(".")
    if len(parts) != len(kinds):
        raise BadCursor(cursor)
    key = []
    for part, kind in zip(parts, kinds, strict=True):
        try:
            number = int(part)
        except ValueError:
            raise BadCursor(cursor) from None
        if kind is datetime:
            try:
                key.append(EPOCH + timedelta(microseconds=number))
            except OverflowError:
                raise BadCursor(cursor) from None
        else:
            key.append(number)
    return tuple(key)


def _beyond(queryset, fields: tuple[str, ...], key: tuple, *, older: bool):
    """Rows after ``key`` in the list's order (older) or before it (newer).

    Written as a range on the first field plus an exclusion on ties, so the database walks its
    index from the key (an OR of comparisons would make it scan from the top).
    """
    first, rest = fields[0], fields[1:]
    if not rest:
        return queryset.filter(**{f"{first}__{'lt' if older else 'gt'}": key[0]})
    ties = {first: key[0], f"{rest[0]}__{'gte' if older else 'lte'}": key[1]}
    return queryset.filter(**{f"{first}__{'lte' if older else 'gte'}": key[0]}).exclude(**ties)


def keyset_page(
    queryset,
    fields: tuple[str, ...],
    *,
    size: int,
    older_than: tuple | None = None,
    newer_than: tuple | None = None,
) -> KeysetPage:
    """The page of ``queryset`` (newest first by ``fields``: one field, or a field and a
    unique tie-breaker) after ``older_than`` or before ``newer_than`` (neither: the newest)."""
    newest_first = [f"-{f}" for f in fields]

    def key(row) -> tuple:
        return tuple(getattr(row, f) for f in fields)

    if newer_than is not None:
        rows = list(_beyond(queryset, fields, newer_than, older=False).order_by(*fields)[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        if not more_newer:  # back at the top: the first page, as it stands now
            return keyset_page(queryset, fields, size=size)
        return KeysetPage(
            rows,
            older=encode_cursor(key(rows[-1])) if rows else None,
            newer=encode_cursor(key(rows[0])) if rows else None,
        )
    start = queryset if older_than is None else _beyond(queryset, fields, older_than, older=True)
    rows = list(start.order_by(*newest_first)[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        older=encode_cursor(key(rows[-1])) if more_older else None,
        newer=encode_cursor(key(rows[0])) if older_than is not None and rows else None,
    )
